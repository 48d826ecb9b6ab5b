//! PyClassKit benchmark peer: a PyO3 `Point` with a 32-entry freelist and a plain twin.
use pyo3::prelude::*;

/// A 2-D point whose instances are recycled through a PyO3 freelist of 32 entries.
#[pyclass(freelist = 32)]
struct Point {
    x: f64,
    y: f64,
}

#[pymethods]
impl Point {
    #[new]
    fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    #[getter]
    fn x(&self) -> f64 {
        self.x
    }

    #[getter]
    fn y(&self) -> f64 {
        self.y
    }
}

/// The same point without a freelist: every instance comes from the type's allocator.
#[pyclass]
struct PlainPoint {
    x: f64,
    y: f64,
}

#[pymethods]
impl PlainPoint {
    #[new]
    fn new(x: f64, y: f64) -> Self {
        PlainPoint { x, y }
    }

    #[getter]
    fn x(&self) -> f64 {
        self.x
    }

    #[getter]
    fn y(&self) -> f64 {
        self.y
    }
}

/// `gil_used = false`: importing the module keeps the GIL off on a free-threaded interpreter.
#[pymodule(gil_used = false)]
fn pyo3_points(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Point>()?;
    m.add_class::<PlainPoint>()?;
    Ok(())
}
