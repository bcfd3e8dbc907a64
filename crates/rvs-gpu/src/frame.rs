//! Buffers reused across renders, and the per-call uniform arena.
//!
//! Creating a large buffer costs about 50 µs per MB in Dawn (allocation plus lazy zeroing)
//! and each small mapped uniform buffer about 0.2 ms, which at hundreds of MB and ~100
//! dispatches per render dwarfed the kernels. Scratch comes from a pool instead, and all
//! of a call's uniforms live in one buffer, bound at offsets and written once per submit.
//! Kernels therefore never assume fresh buffers are zeroed.

use std::cell::RefCell;

const UNIFORM_ARENA_BYTES: u64 = 256 * 1024;
const MB: u64 = 1 << 20;

/// Idle GPU buffers kept for reuse, up to `idle_cap` bytes.
pub struct BufferPool {
    device: wgpu::Device,
    free: RefCell<Vec<wgpu::Buffer>>,
    idle_cap: u64,
}

impl BufferPool {
    pub fn new(device: &wgpu::Device, idle_cap: u64) -> Self {
        Self { device: device.clone(), free: RefCell::new(Vec::new()), idle_cap }
    }

    /// A buffer of at least `bytes` with exactly `usage`; reused when one fits.
    pub fn take(&self, label: &str, bytes: u64, usage: wgpu::BufferUsages) -> wgpu::Buffer {
        let bytes = bytes.max(16).next_multiple_of(16);
        let mut free = self.free.borrow_mut();
        let fits = |b: &wgpu::Buffer| b.usage() == usage && b.size() >= bytes && b.size() <= bytes + bytes / 2 + 16 * MB;
        if let Some(i) = free.iter().position(fits) {
            return free.swap_remove(i);
        }
        // Round big buffers up a little so slowly growing batches still hit the pool.
        let size = if bytes > 16 * MB { bytes.next_multiple_of(16 * MB).min(bytes + bytes / 8) } else { bytes.next_power_of_two() };
        let size = size.max(bytes).next_multiple_of(16);
        self.device.create_buffer(&wgpu::BufferDescriptor { label: Some(label), size, usage, mapped_at_creation: false })
    }

    /// Returns a buffer for reuse; the oldest idle ones are destroyed beyond the cap.
    pub fn give(&self, buffer: wgpu::Buffer) {
        let mut free = self.free.borrow_mut();
        free.push(buffer);
        let mut idle: u64 = free.iter().map(wgpu::Buffer::size).sum();
        while idle > self.idle_cap && !free.is_empty() {
            let old = free.remove(0);
            idle -= old.size();
            old.destroy();
        }
    }

    pub fn idle_bytes(&self) -> u64 {
        self.free.borrow().iter().map(wgpu::Buffer::size).sum()
    }

    /// Destroys every idle buffer.
    pub fn clear(&self) {
        for b in self.free.borrow_mut().drain(..) {
            b.destroy();
        }
    }
}

/// One call's scratch buffers and uniforms. `flush` before each submit; `finish` when the
/// last submit is recorded (buffers go back to the pool; WebGPU orders later reuse after it).
pub struct Frame<'a> {
    pub device: &'a wgpu::Device,
    pub pool: &'a BufferPool,
    uniform_bytes: RefCell<Vec<u8>>,
    uniform_buffer: wgpu::Buffer,
    align: u64,
    taken: RefCell<Vec<wgpu::Buffer>>,
}

impl<'a> Frame<'a> {
    pub fn new(device: &'a wgpu::Device, pool: &'a BufferPool) -> Self {
        let uniform_buffer = pool.take("uniform arena", UNIFORM_ARENA_BYTES, wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST);
        let align = u64::from(device.limits().min_uniform_buffer_offset_alignment);
        Self { device, pool, uniform_bytes: RefCell::new(Vec::new()), uniform_buffer, align, taken: RefCell::new(Vec::new()) }
    }

    /// Places `value` in the arena; bind the returned range as the uniform.
    pub fn uniform<T: bytemuck::Pod>(&self, value: &T) -> wgpu::BufferBinding<'_> {
        let mut bytes = self.uniform_bytes.borrow_mut();
        let offset = (bytes.len() as u64).next_multiple_of(self.align);
        bytes.resize(offset as usize, 0);
        bytes.extend_from_slice(bytemuck::bytes_of(value));
        assert!(bytes.len() as u64 <= self.uniform_buffer.size(), "uniform arena full: more dispatches in one call than it was sized for");
        wgpu::BufferBinding { buffer: &self.uniform_buffer, offset, size: wgpu::BufferSize::new(std::mem::size_of::<T>() as u64) }
    }

    /// Pooled STORAGE buffer, returned to the pool by `finish`.
    pub fn scratch(&self, label: &str, bytes: u64) -> wgpu::Buffer {
        let b = self.pool.take(label, bytes, wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST);
        self.taken.borrow_mut().push(b.clone());
        b
    }

    /// Writes the uniforms recorded so far; call before submitting work that uses them.
    pub fn flush(&self, queue: &wgpu::Queue) {
        let bytes = self.uniform_bytes.borrow();
        if !bytes.is_empty() {
            queue.write_buffer(&self.uniform_buffer, 0, &bytes);
        }
    }

    pub fn finish(self) {
        for b in self.taken.into_inner() {
            self.pool.give(b);
        }
        self.pool.give(self.uniform_buffer);
    }
}
