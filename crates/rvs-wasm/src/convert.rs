use wasm_bindgen::JsError;

pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}
