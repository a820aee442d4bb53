//! Panics reach the console (with the Rust message) and the page: a `minimax-panic` event on the
//! global scope, which the engine worker (web/engine/engine-worker.js) reports as a crash; the element
//! then says what happened and offers to continue from the last copy kept in page memory.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Installs the panic hook and a console logger for `log` records (cubecl reports WGSL errors
/// there). Idempotent.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            let message = info.payload_as_str().unwrap_or("unknown panic").to_string();
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            notify(&format!("{message}{location}"));
        }));
        let _ = log::set_logger(&ConsoleLogger);
        log::set_max_level(log::LevelFilter::Warn);
    });
}

fn notify(message: &str) {
    // `window` on the page, `self` in a worker: both are EventTargets.
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::EventTarget>() else {
        return;
    };
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"message".into(), &JsValue::from_str(message));
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("minimax-panic", &init) {
        let _ = scope.dispatch_event(&event);
    }
}

/// Test hook of the crash path (e2e `robustness.test.mjs`): `"panic"` panics as a Rust bug
/// would (message, then a trap); anything else traps bare (`unreachable`, as an out-of-memory
/// abort does), with no message. Either leaves this wasm instance unusable.
#[wasm_bindgen(js_name = crashForTest)]
pub fn crash_for_test(how: &str) {
    if how == "panic" {
        panic!("forced panic (test hook)");
    }
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

struct ConsoleLogger;

impl log::Log for ConsoleLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record) {
        let text = JsValue::from_str(&format!("[{}] {}", record.target(), record.args()));
        match record.level() {
            log::Level::Error => web_sys::console::error_1(&text),
            log::Level::Warn => web_sys::console::warn_1(&text),
            _ => web_sys::console::log_1(&text),
        }
    }

    fn flush(&self) {}
}
