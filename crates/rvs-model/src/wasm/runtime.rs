//! The WASM instance's GPU runtime: Burn's device (adopted once, from the first trainer's
//! GPUDevice), cubecl's settings (autotune, launches per submit, persistent memory), what the
//! kernels are told about the device, and which trainer last used the GPU.

use std::cell::RefCell;

use burn::tensor::Device;
use wasm_bindgen::prelude::*;

use super::js_err;

thread_local! {
    /// Burn's wgpu runtime is initialised once per WASM instance, on the first trainer's device.
    static DEVICE: RefCell<Option<Device>> = const { RefCell::new(None) };
    /// cubecl's autotune level for this instance; read once, when the device starts.
    static AUTOTUNE: RefCell<&'static str> = const { RefCell::new("minimal") };
    /// Kernel launches cubecl records before it submits them (`None`: cubecl's default, 32).
    static TASKS_MAX: RefCell<Option<usize>> = const { RefCell::new(None) };
    /// Which trainer (its `id`; 0: none) last ran or allocated anything on the GPU: a captured
    /// step replays only if nothing else did since it was recorded (see `captured.rs`).
    pub(super) static GPU_USER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Records that `user` (a trainer's id, 0 for anything else) works on the GPU now; a capture
/// another trainer prepared is closed first.
pub(super) fn use_gpu(user: u64) {
    if GPU_USER.with(|u| u.replace(user)) != user {
        crate::captured::release_prepared();
    }
}

/// The autotune levels `setAutotuneLevel` takes, least search first (cubecl's `AutotuneLevel`).
const AUTOTUNE_LEVELS: [&str; 4] = ["minimal", "balanced", "extensive", "full"];

/// Sets how hard cubecl searches for each kernel shape's fastest variant: `minimal` (default),
/// `balanced`, `extensive` or `full`. Only before the first trainer of this instance exists.
#[wasm_bindgen(js_name = setAutotuneLevel)]
pub fn set_autotune_level(level: &str) -> Result<(), JsError> {
    let Some(&level) = AUTOTUNE_LEVELS.iter().find(|&&known| known == level) else {
        return Err(js_err(format!("autotune level {level:?}: expected minimal, balanced, extensive or full")));
    };
    let current = AUTOTUNE.with(|a| *a.borrow());
    unchanged_once_started(current != level, || format!("autotune level {level:?}: this model WASM already runs at {current:?}"))?;
    AUTOTUNE.with(|a| *a.borrow_mut() = level);
    Ok(())
}

/// Runs the fused WGSL kernels and Burn's composed operations on the same random inputs on
/// this instance's device; resolves to JSON: [{ name, maxDifference, maxMagnitude }].
#[wasm_bindgen(js_name = verifyFusedKernels)]
pub async fn verify_fused_kernels() -> Result<String, JsError> {
    let device = burn_device().await?.autodiff();
    use_gpu(0);
    let checks = crate::kernels::verify(&device).await.map_err(js_err)?;
    Ok(serde_json::to_string(&checks).expect("checks serialise"))
}

/// Tells the kernels whether this instance's device runs WebGPU subgroup matrices of f16
/// 16×16×16 with f32 results in subgroups of 32 (the JS side sees the GPUDevice's features
/// and adapter info; wgpu's web backend does not pass these on).
#[wasm_bindgen(js_name = setSubgroupMatrices)]
pub fn set_subgroup_matrices(available: bool) {
    crate::kernels::set_subgroup_matrices_available(available);
}

/// Tells the kernels whether this instance's device is a software adapter (the JS side reads
/// the adapter info): rows shorter than 1,024 then stay on Burn's reductions.
#[wasm_bindgen(js_name = setSoftwareAdapter)]
pub fn set_software_adapter(software: bool) {
    crate::kernels::set_software_adapter(software);
}

/// Runtime settings are read once, when Burn's device starts: refuses a `change` after that.
fn unchanged_once_started(change: bool, running: impl FnOnce() -> String) -> Result<(), JsError> {
    if change && DEVICE.with(|d| d.borrow().is_some()) {
        return Err(js_err(format!("{}; set it before the first model is created", running())));
    }
    Ok(())
}

/// How many kernel launches cubecl records into one command buffer before it submits it
/// (cubecl's default: 32). Each submit costs CPU time in the browser or Dawn; more per submit
/// means fewer. Only before the first trainer of this instance exists.
#[wasm_bindgen(js_name = setTasksMax)]
pub fn set_tasks_max(tasks: usize) -> Result<(), JsError> {
    if tasks == 0 {
        return Err(js_err("tasksMax must be at least 1".into()));
    }
    let current = TASKS_MAX.with(|t| *t.borrow());
    unchanged_once_started(current != Some(tasks), || {
        format!("tasksMax {tasks}: this model WASM already runs with {}", current.map_or("cubecl's default".to_string(), |n| n.to_string()))
    })?;
    TASKS_MAX.with(|t| *t.borrow_mut() = Some(tasks));
    Ok(())
}

pub(super) async fn burn_device() -> Result<Device, JsError> {
    if let Some(device) = DEVICE.with(|d| d.borrow().clone()) {
        return Ok(device);
    }
    configure_runtime();
    let mut options = Device::wgpu_options();
    if let Some(tasks) = TASKS_MAX.with(|t| *t.borrow()) {
        options = options.tasks_max(tasks);
    }
    let (device, _setup) = options
        .init_with_setup_async()
        .await
        .map_err(|e| JsError::new(&format!("could not start Burn on WebGPU: {e:?}")))?;
    DEVICE.with(|d| *d.borrow_mut() = Some(device.clone()));
    Ok(device)
}

/// cubecl's runtime settings, once per instance:
/// - autotune: cubecl's default benchmarks every kernel variant ten times per new shape before
///   using one; with a model's hundreds of shapes that dominates the first epochs (minutes on a
///   GPU, far more on a software adapter). One sample per candidate at the minimal level picks
///   nearly as well.
/// - memory: on wasm cubecl gives every allocation a page of its own and released pages that
///   sat free for a few thousand allocations, so a training step destroyed and re-created most
///   of its buffers (`createBuffer` was 12 % of a step's CPU time on an H100). Enforced
///   persistent memory keeps every buffer for reuse by a tensor of its size; a training run
///   allocates the same sizes every step.
fn configure_runtime() {
    use burn_cubecl::cubecl::config::autotune::{AutotuneConfig, AutotuneLevel, BenchConfig};
    use burn_cubecl::cubecl::config::memory::{MemoryConfig, PersistentMemory};
    use burn_cubecl::cubecl::config::{CubeClRuntimeConfig, RuntimeConfig};
    // AUTOTUNE holds one of AUTOTUNE_LEVELS.
    let level = match AUTOTUNE.with(|a| *a.borrow()) {
        "balanced" => AutotuneLevel::Balanced,
        "extensive" => AutotuneLevel::Extensive,
        "full" => AutotuneLevel::Full,
        _ => AutotuneLevel::Minimal,
    };
    let config = CubeClRuntimeConfig {
        memory: MemoryConfig { persistent_memory: PersistentMemory::Enforced, ..MemoryConfig::default() },
        autotune: AutotuneConfig {
            level,
            bench: BenchConfig { min_samples: 1, max_samples: 2, ..BenchConfig::default() },
            ..AutotuneConfig::default()
        },
        ..CubeClRuntimeConfig::default()
    };
    // Keeps a configuration someone set earlier (false then), which is what we want.
    let _ = CubeClRuntimeConfig::try_set(config);
}
