//! The captured-step bindings of `PoseTrainer` (`captured.rs` does the work): held inputs the
//! caller writes, then steps that record once and replay.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::runtime::{GPU_USER, use_gpu};
use super::{PoseTrainer, input_shape, js_err, use_kernels_of};
use crate::captured::CapturedStep;
use crate::trainer::read;

#[wasm_bindgen]
impl PoseTrainer {
    /// Held inputs of captured steps for `batch` images of `height`×`width` (layout as in
    /// `inputSlot`): { images, poses, settings }, each { buffer, offset, bytes }. The caller
    /// copies the images, writes poses (B×12 f32, row-major 3×4 camera-to-world) and
    /// `stepSettings(lr)`, then calls `capturedStep(lr)`. Kept while the shape stays the same.
    #[wasm_bindgen(js_name = stepInputs)]
    pub fn step_inputs(&self, batch: usize, height: usize, width: usize, layout: &str) -> Result<JsValue, JsError> {
        let (shape, rgba) = input_shape("step inputs", batch, height, width, layout)?;
        let mut captured = self.captured.borrow_mut();
        // Another trainer (or a kernel check) may have allocated memory this graph uses.
        let others_ran = GPU_USER.with(|u| u.get()) != self.id;
        use_gpu(self.id);
        if others_ran || captured.as_ref().is_none_or(|c| c.shape() != shape || c.rgba != rgba) {
            // The old graph goes before new buffers are allocated.
            *captured = None;
            let trainer = self.inner.borrow();
            if !trainer.config.fused_kernels {
                return Err(js_err("captured steps need fusedKernels (Adam and the running statistics update their buffers in place)".into()));
            }
            *captured = Some(CapturedStep::new(&trainer.device.clone().inner(), shape, rgba).map_err(js_err)?);
        }
        let step = captured.as_ref().expect("just set");
        let set = |object: &js_sys::Object, key: &str, value: &JsValue| js_sys::Reflect::set(object, &key.into(), value).map(|_| ()).map_err(|_| js_err("stepInputs: building the result".into()));
        let object = js_sys::Object::new();
        for (name, range) in ["images", "poses", "settings"].into_iter().zip(&step.ranges) {
            let entry = js_sys::Object::new();
            set(&entry, "buffer", &range.buffer)?;
            set(&entry, "offset", &range.offset.into())?;
            set(&entry, "bytes", &range.bytes.into())?;
            set(&object, name, &entry)?;
        }
        Ok(object.into())
    }

    /// Whether the held inputs' step is recorded (the next `capturedStep` replays it).
    #[wasm_bindgen(getter, js_name = stepRecorded)]
    pub fn step_recorded(&self) -> bool {
        self.captured.borrow().as_ref().is_some_and(CapturedStep::is_recorded)
    }

    /// Adam's settings for the next step at `lr` (8 f32), to write into `stepInputs().settings`.
    #[wasm_bindgen(js_name = stepSettings)]
    pub fn step_settings(&self, lr: f64) -> Result<Float32Array, JsError> {
        if !(lr.is_finite() && lr >= 0.0) {
            return Err(js_err(format!("learning rate must be finite and non-negative, got {lr}")));
        }
        Ok(Float32Array::from(CapturedStep::next_settings(&self.inner.borrow(), lr).as_slice()))
    }

    /// One training step (forward, backward, Adam at `lr`) on the held inputs; the first two run
    /// as ordinary steps, the third is recorded and every later one replays it. Resolves to
    /// [loss, mean translation error, mean rotation error (Frobenius)].
    #[wasm_bindgen(js_name = capturedStep)]
    pub fn captured_step(&self, lr: f64) -> Result<js_sys::Promise, JsError> {
        let terms = {
            let mut captured = self.captured.borrow_mut();
            let step = captured.as_mut().ok_or_else(|| js_err("capturedStep: call stepInputs first".into()))?;
            if GPU_USER.with(|u| u.get()) != self.id {
                *captured = None;
                return Err(js_err("capturedStep: other GPU work ran since stepInputs; call stepInputs again".into()));
            }
            let mut trainer = self.inner.borrow_mut();
            use_kernels_of(&trainer);
            match step.step(&mut trainer, lr) {
                Ok(terms) => terms,
                Err(e) => {
                    *captured = None;
                    return Err(js_err(e));
                }
            }
        };
        Ok(future_to_promise(async move {
            let values = read(terms).await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(Float32Array::from(values.as_slice()).into())
        }))
    }
}
