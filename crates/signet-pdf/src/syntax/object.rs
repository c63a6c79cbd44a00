//! The PDF object model shared by the reader and the writer.

/// An indirect object reference `num gen R`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ObjRef {
    pub num: u32,
    pub generation: u16,
}

impl ObjRef {
    pub(crate) fn new(num: u32, generation: u16) -> Self {
        ObjRef { num, generation }
    }
}

/// A PDF object. Names are stored decoded (without `/`, `#xx` resolved).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    String(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(ObjRef),
    Stream(Box<Stream>),
}

/// Where a stream's (still encoded) bytes are.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum StreamBody {
    /// In memory (streams we create).
    Bytes(Vec<u8>),
    /// In the input file, not loaded yet.
    File { offset: u64, len: u64 },
}

/// A stream object: dictionary plus body.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Stream {
    pub dict: Dict,
    pub body: StreamBody,
}

/// A dictionary keeping insertion order (writers stay deterministic, lookups are tiny scans).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dict {
    entries: Vec<(Vec<u8>, Object)>,
}

impl Dict {
    pub(crate) fn new() -> Self {
        Dict::default()
    }

    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_slice() == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &[u8]) -> Option<&mut Object> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.as_slice() == key)
            .map(|(_, v)| v)
    }

    /// Sets `key`, replacing an existing entry in place.
    pub(crate) fn set(&mut self, key: &[u8], value: Object) {
        match self.get_mut(key) {
            Some(slot) => *slot = value,
            None => self.entries.push((key.to_vec(), value)),
        }
    }

    pub(crate) fn remove(&mut self, key: &[u8]) -> Option<Object> {
        let idx = self.entries.iter().position(|(k, _)| k.as_slice() == key)?;
        Some(self.entries.remove(idx).1)
    }

    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &Object)> {
        self.entries.iter().map(|(k, v)| (k.as_slice(), v))
    }

    /// The value of `key` if it is a name.
    pub(crate) fn name(&self, key: &[u8]) -> Option<&[u8]> {
        self.get(key).and_then(Object::as_name)
    }

    /// The value of `key` if it is an integer.
    pub(crate) fn int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }
}

impl FromIterator<(Vec<u8>, Object)> for Dict {
    fn from_iter<T: IntoIterator<Item = (Vec<u8>, Object)>>(iter: T) -> Self {
        let mut d = Dict::new();
        for (k, v) in iter {
            d.set(&k, v);
        }
        d
    }
}

impl Object {
    pub(crate) fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            Object::Real(r) if r.fract() == 0.0 && r.abs() < 1e15 => Some(*r as i64),
            _ => None,
        }
    }

    /// Numeric value of an integer or real.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Object::Int(i) => Some(*i as f64),
            Object::Real(r) if r.is_finite() => Some(*r),
            _ => None,
        }
    }

    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_string(&self) -> Option<&[u8]> {
        match self {
            Object::String(s) => Some(s),
            _ => None,
        }
    }
}
