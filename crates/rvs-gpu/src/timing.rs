//! GPU pass timing with timestamp queries, for profiles. While a `PassTimer` is active
//! (see `PassTimer::activate`), every pass opened with `begin_pass` records its start and
//! end; kernels need no timing parameters. Wasm is single-threaded, hence thread-local.

use std::cell::RefCell;
use std::rc::Rc;

use crate::{read_buffer, GpuContext, GpuError};

thread_local! {
    static ACTIVE: RefCell<Option<Rc<PassTimer>>> = const { RefCell::new(None) };
}

/// Records up to `capacity` passes.
pub struct PassTimer {
    queries: wgpu::QuerySet,
    resolved: wgpu::Buffer,
    capacity: u32,
    labels: RefCell<Vec<String>>,
    stage: RefCell<&'static str>,
}

/// Time spent in passes with one label, summed.
#[derive(Clone, Debug, PartialEq)]
pub struct PassTime {
    pub label: String,
    pub ms: f64,
    pub passes: u32,
}

impl PassTimer {
    /// `None` when the device lacks `timestamp-query`.
    pub fn new(ctx: &GpuContext, capacity: u32) -> Option<Rc<Self>> {
        if !ctx.features.contains(wgpu::Features::TIMESTAMP_QUERY) {
            return None;
        }
        // WebGPU caps a query set at 4096 queries (two per pass).
        let capacity = capacity.min(2048);
        let queries = ctx.device.create_query_set(&wgpu::QuerySetDescriptor { label: Some("pass timer"), ty: wgpu::QueryType::Timestamp, count: capacity * 2 });
        let resolved = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pass timer resolve"),
            size: u64::from(capacity) * 16,
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        Some(Rc::new(Self { queries, resolved, capacity, labels: RefCell::new(Vec::new()), stage: RefCell::new("") }))
    }

    /// Makes this the timer `begin_pass` records into, until the guard drops.
    pub fn activate(self: &Rc<Self>) -> ActiveTimer {
        ACTIVE.with(|a| *a.borrow_mut() = Some(self.clone()));
        ActiveTimer
    }

    /// Prefix for the labels of the passes that follow, e.g. the pipeline stage.
    pub fn set_stage(&self, stage: &'static str) {
        *self.stage.borrow_mut() = stage;
    }

    /// `set_stage` on the active timer, if any (code that records passes has no handle).
    pub fn set_active_stage(stage: &'static str) {
        ACTIVE.with(|a| {
            if let Some(t) = a.borrow().as_ref() {
                t.set_stage(stage);
            }
        });
    }

    fn next_writes(&self, label: &str) -> Option<u32> {
        let mut labels = self.labels.borrow_mut();
        if labels.len() as u32 >= self.capacity {
            return None;
        }
        let stage = *self.stage.borrow();
        labels.push(if stage.is_empty() { label.to_string() } else { format!("{stage}/{label}") });
        Some(labels.len() as u32 - 1)
    }

    /// Copies the timestamps into the resolve buffer; call once after the last timed pass.
    pub fn resolve(&self, encoder: &mut wgpu::CommandEncoder) {
        let n = self.labels.borrow().len() as u32;
        if n > 0 {
            encoder.resolve_query_set(&self.queries, 0..n * 2, &self.resolved, 0);
        }
    }

    /// Per-label totals, in first-seen order. Waits for the GPU.
    pub async fn read(&self, ctx: &GpuContext) -> Result<Vec<PassTime>, GpuError> {
        let labels = self.labels.borrow().clone();
        if labels.is_empty() {
            return Ok(Vec::new());
        }
        let raw = read_buffer(&ctx.device, &ctx.queue, &self.resolved, 0, labels.len() as u64 * 16).await?;
        let ticks: &[u64] = bytemuck::cast_slice(&raw);
        let ns_per_tick = f64::from(ctx.queue.get_timestamp_period());
        let mut out: Vec<PassTime> = Vec::new();
        for (i, label) in labels.iter().enumerate() {
            let ms = ticks[2 * i + 1].saturating_sub(ticks[2 * i]) as f64 * ns_per_tick / 1e6;
            match out.iter_mut().find(|p| &p.label == label) {
                Some(p) => {
                    p.ms += ms;
                    p.passes += 1;
                }
                None => out.push(PassTime { label: label.clone(), ms, passes: 1 }),
            }
        }
        Ok(out)
    }
}

/// Deactivates the timer when dropped.
pub struct ActiveTimer;

impl Drop for ActiveTimer {
    fn drop(&mut self) {
        ACTIVE.with(|a| *a.borrow_mut() = None);
    }
}

/// Opens a compute pass, timed when a `PassTimer` is active.
pub fn begin_pass<'e>(encoder: &'e mut wgpu::CommandEncoder, label: &str) -> wgpu::ComputePass<'e> {
    let timer = ACTIVE.with(|a| a.borrow().clone());
    let slot = timer.as_ref().and_then(|t| t.next_writes(label).map(|i| (t.clone(), i)));
    let timestamp_writes = slot.as_ref().map(|(t, i)| wgpu::ComputePassTimestampWrites {
        query_set: &t.queries,
        beginning_of_pass_write_index: Some(i * 2),
        end_of_pass_write_index: Some(i * 2 + 1),
    });
    encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(label), timestamp_writes })
}
