//! The backend the command line trains on: Burn's pure-Rust CPU backend everywhere, or a native
//! GPU through wgpu (Vulkan, Metal or DX12) when built with `--features gpu`.

use burn::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Cpu,
    Gpu,
}

impl Backend {
    /// `--backend cpu|gpu` (default cpu).
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
        match name.unwrap_or("cpu") {
            "cpu" => Ok(Self::Cpu),
            "gpu" => Ok(Self::Gpu),
            other => Err(format!("--backend must be cpu or gpu, got {other:?}")),
        }
    }

    pub fn device(self) -> Result<Device, String> {
        match self {
            Self::Cpu => Ok(Device::flex()),
            Self::Gpu => gpu(),
        }
    }
}

#[cfg(feature = "gpu")]
fn gpu() -> Result<Device, String> {
    Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice))
}

#[cfg(not(feature = "gpu"))]
fn gpu() -> Result<Device, String> {
    Err(
        "this build has no GPU backend: build with `cargo build --release -p minimax-cli \
         --features gpu`"
            .into(),
    )
}
