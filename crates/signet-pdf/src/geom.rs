//! 2-D affine matrices in PDF's `[a b c d e f]` convention.

/// `[a b c d e f]`: x' = a x + c y + e, y' = b x + d y + f.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Matrix(pub [f64; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub(crate) fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self × other`: apply `self` first, then `other`.
    pub(crate) fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    pub(crate) fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// Builds a matrix from six operands; `None` unless all are finite numbers.
    pub(crate) fn from_slice(v: &[f64]) -> Option<Matrix> {
        match v {
            [a, b, c, d, e, f] if v.iter().all(|x| x.is_finite()) => {
                Some(Matrix([*a, *b, *c, *d, *e, *f]))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composition_applies_left_first() {
        let m = Matrix::translate(10.0, 0.0).then(&Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]));
        assert_eq!(m.apply(1.0, 1.0), (22.0, 2.0));
    }
}
