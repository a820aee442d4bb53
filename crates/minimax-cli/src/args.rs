//! A minimal argument reader: `command`, `--flag value` pairs and positionals, with errors that
//! say which argument is wrong.

pub struct Args(Vec<String>);

impl Args {
    pub fn from_env() -> Self {
        Self(std::env::args().skip(1).collect())
    }

    /// The first argument.
    pub fn command(&mut self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.remove(0))
    }

    /// The value after `flag`, removed from the list.
    pub fn value(&mut self, flag: &str) -> Option<String> {
        let i = self.0.iter().position(|a| a == flag)?;
        self.0.remove(i);
        (i < self.0.len()).then(|| self.0.remove(i))
    }

    /// Whether `flag` is present (removed from the list).
    pub fn flag(&mut self, flag: &str) -> bool {
        let i = self.0.iter().position(|a| a == flag);
        i.map(|i| self.0.remove(i)).is_some()
    }

    /// Whether `flag` is present (left in the list).
    pub fn has(&self, flag: &str) -> bool {
        self.0.iter().any(|a| a == flag)
    }

    /// A numeric flag, or `default` when absent.
    pub fn number<T: std::str::FromStr>(&mut self, flag: &str, default: T) -> Result<T, String> {
        match self.value(flag) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("{flag} expects a number, got {v:?}")),
        }
    }

    /// The next positional argument.
    pub fn positional(&mut self) -> Option<String> {
        let i = self.0.iter().position(|a| !a.starts_with("--"))?;
        Some(self.0.remove(i))
    }

    /// Fails on anything not consumed.
    pub fn finish(&self) -> Result<(), String> {
        match self.0.first() {
            None => Ok(()),
            Some(extra) => Err(format!(
                "unexpected argument {extra:?} (see `minimax help`)"
            )),
        }
    }
}
