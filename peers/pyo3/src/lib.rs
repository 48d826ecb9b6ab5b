//! PyClassKit benchmark peer: a PyO3 `Point` with a 32-entry freelist and a plain twin, and the
//! garbage-collected `Holder` of scripts/bench's freelist matrix with and without one.
use pyo3::prelude::*;
use pyo3::{PyTraverseError, PyVisit};

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

/// A number and one Python object, garbage-collected (`__traverse__`/`__clear__`), recycled
/// through a PyO3 freelist of 32 entries: the twin of `freelist_matrix.HolderMutex` and the
/// other strategies.
#[pyclass(freelist = 32)]
struct Holder {
    a: f64,
    value: Option<Py<PyAny>>,
}

#[pymethods]
impl Holder {
    #[new]
    fn new(a: f64, value: Py<PyAny>) -> Self {
        Holder { a, value: Some(value) }
    }

    #[getter]
    fn a(&self) -> f64 {
        self.a
    }

    #[getter]
    fn value(&self, py: Python<'_>) -> Py<PyAny> {
        self.value.as_ref().map_or_else(|| py.None(), |value| value.clone_ref(py))
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.value)
    }

    fn __clear__(&mut self) {
        self.value = None;
    }
}

/// The same holder without a freelist: the twin of `freelist_matrix.HolderNone`.
#[pyclass]
struct PlainHolder {
    a: f64,
    value: Option<Py<PyAny>>,
}

#[pymethods]
impl PlainHolder {
    #[new]
    fn new(a: f64, value: Py<PyAny>) -> Self {
        PlainHolder { a, value: Some(value) }
    }

    #[getter]
    fn a(&self) -> f64 {
        self.a
    }

    #[getter]
    fn value(&self, py: Python<'_>) -> Py<PyAny> {
        self.value.as_ref().map_or_else(|| py.None(), |value| value.clone_ref(py))
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.value)
    }

    fn __clear__(&mut self) {
        self.value = None;
    }
}

/// `gil_used = false`: importing the module keeps the GIL off on a free-threaded interpreter.
#[pymodule(gil_used = false)]
fn pyo3_points(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Point>()?;
    m.add_class::<PlainPoint>()?;
    m.add_class::<Holder>()?;
    m.add_class::<PlainHolder>()?;
    Ok(())
}
