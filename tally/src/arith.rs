//! Arithmetic behind a trait: exact rationals, and a guarded floating-point
//! fast path that carries a rigorous bound on its own rounding error.
//!
//! **Invariant:** every decision a rule takes goes through
//! [`Scalar::cmp_exact`]. The exact type always answers. The guarded float
//! answers only when the two values differ by more than the sum of their
//! error bounds, so its answer is the exact answer; otherwise it returns
//! `None` and the caller recomputes with exact rationals. This is how the
//! float path provably takes the same decisions as the exact one.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use std::cmp::Ordering;

/// A number type a counting rule can run on.
pub trait Scalar: Clone + std::fmt::Debug {
    /// `true` when every comparison is answered.
    const EXACT: bool;
    fn from_ratio(num: u128, den: u128) -> Self;
    fn zero() -> Self;
    fn add(&self, o: &Self) -> Self;
    fn sub(&self, o: &Self) -> Self;
    fn mul_u(&self, k: u128) -> Self;
    fn div_u(&self, k: u128) -> Self;
    /// The exact ordering of the two values, or `None` if this type cannot
    /// tell.
    fn cmp_exact(&self, o: &Self) -> Option<Ordering>;
    /// Compares `self * k1` with `o * k2`.
    fn cmp_scaled(&self, k1: u128, o: &Self, k2: u128) -> Option<Ordering> {
        self.mul_u(k1).cmp_exact(&o.mul_u(k2))
    }
    /// `self - sum(x * k)` over the `terms`, with the same guarantee as the
    /// operations one by one (which is what the default does); a type may
    /// take a shorter way.
    fn sub_weighted<'a>(&self, terms: impl Iterator<Item = (&'a Self, u64)>) -> Self
    where
        Self: 'a,
    {
        let mut r = self.clone();
        for (x, k) in terms {
            r = r.sub(&x.mul_u(u128::from(k)));
        }
        r
    }
    /// A float close to the value (for ordering heuristics and display
    /// only, never for a decision).
    fn approx(&self) -> f64;
    /// The exact value, when known.
    fn exact(&self) -> Option<BigRational>;
    /// A float close to the value and a bound on its distance from the
    /// exact value (infinite when the type gives none).
    fn float_bound(&self) -> (f64, f64);
    /// Whether [`Scalar::cmp_exact`] answers `Less` (with `less`) or
    /// `Greater` (without): `true` only where it does. A type may answer
    /// without branching on the answer.
    fn surely(&self, o: &Self, less: bool) -> bool {
        self.cmp_exact(o)
            == Some(if less {
                Ordering::Less
            } else {
                Ordering::Greater
            })
    }
}

/// Exact rational numbers of unbounded size.
pub type Exact = BigRational;

impl Scalar for BigRational {
    const EXACT: bool = true;
    fn from_ratio(num: u128, den: u128) -> Self {
        BigRational::new(BigInt::from(num), BigInt::from(den.max(1)))
    }
    fn zero() -> Self {
        <BigRational as Zero>::zero()
    }
    fn add(&self, o: &Self) -> Self {
        self + o
    }
    fn sub(&self, o: &Self) -> Self {
        self - o
    }
    fn mul_u(&self, k: u128) -> Self {
        self * BigRational::from_integer(BigInt::from(k))
    }
    fn div_u(&self, k: u128) -> Self {
        if k == 0 {
            return self.clone();
        }
        self / BigRational::from_integer(BigInt::from(k))
    }
    fn cmp_exact(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
    fn cmp_scaled(&self, k1: u128, o: &Self, k2: u128) -> Option<Ordering> {
        // Denominators are positive: compare a*k1*d_b with b*k2*d_a without
        // normalising (no gcd).
        let l = self.numer() * BigInt::from(k1) * o.denom();
        let r = o.numer() * BigInt::from(k2) * self.denom();
        Some(l.cmp(&r))
    }
    fn approx(&self) -> f64 {
        self.to_f64().unwrap_or(f64::NAN)
    }
    fn exact(&self) -> Option<BigRational> {
        Some(self.clone())
    }
    fn float_bound(&self) -> (f64, f64) {
        (self.approx(), f64::INFINITY)
    }
}

/// A float with an upper bound on its absolute error.
///
/// Every operation rounds once (relative error at most 2^-53) and the bound
/// grows by one ulp of the result plus the propagated input errors, so
/// `|true - v| <= e` holds throughout. Integers up to 2^53 convert exactly.
#[derive(Clone, Copy, Debug)]
pub struct Guarded {
    v: f64,
    e: f64,
}

const ULP: f64 = f64::EPSILON; // 2^-52: one full ulp, twice the rounding bound.
const TINY: f64 = 1e-300; // absorbs underflow of the bound itself

/// Whether `v` is a whole number. Conservative: `false` for whole numbers
/// of 2^63 or more (they are then treated as carrying an error, which is
/// safe). Cheaper than `fract`, which is a library call on the baseline
/// x86-64 target.
#[inline]
fn is_whole(v: f64) -> bool {
    v as i64 as f64 == v
}

/// An integer as the nearest float (for display and ordering heuristics).
#[inline]
pub(crate) fn u128_approx(k: u128) -> f64 {
    if k <= u128::from(u64::MAX) {
        k as u64 as f64
    } else {
        k as f64
    }
}

#[inline]
fn int_to_f64(k: u128) -> (f64, f64) {
    if k <= (1u128 << 53) {
        // Exact: below 2^53 the conversion through u64 loses nothing.
        return (k as u64 as f64, 0.0);
    }
    let v = u128_approx(k);
    (v, v * ULP)
}

// The tests of exactness below branch once, on whether the inputs carry
// no error (mostly the same answer for a run of operations, such as
// charging many budgets one payment), and combine the other parts with
// `&`, not `&&`: they are cheap, and branches on each would often be
// mispredicted.
impl Scalar for Guarded {
    const EXACT: bool = false;
    fn from_ratio(num: u128, den: u128) -> Self {
        let (n, en) = int_to_f64(num);
        let (d, ed) = int_to_f64(den.max(1));
        let v = n / d;
        let exact_inputs = en == 0.0 && ed == 0.0;
        let exact_result = exact_inputs && is_whole(v) && v.abs() < 9.0e15 && v * d == n;
        let e = if exact_result {
            0.0
        } else {
            // relative errors of num and den, plus the division rounding
            v.abs() * (en / n.max(1.0) + 2.0 * ed / d + ULP) + TINY
        };
        Guarded { v, e }
    }
    fn zero() -> Self {
        Guarded { v: 0.0, e: 0.0 }
    }
    fn add(&self, o: &Self) -> Self {
        let v = self.v + o.v;
        let exact = ((self.e == 0.0) & (o.e == 0.0)) && ((v.abs() < 9.0e15) & is_whole(v));
        let e = if exact {
            0.0
        } else {
            self.e + o.e + v.abs() * ULP + TINY
        };
        Guarded { v, e }
    }
    fn sub(&self, o: &Self) -> Self {
        let v = self.v - o.v;
        let exact = ((self.e == 0.0) & (o.e == 0.0))
            && ((self.v.abs() < 9.0e15)
                & (o.v.abs() < 9.0e15)
                & is_whole(self.v)
                & is_whole(o.v)
                & (v.abs() < 9.0e15));
        let e = if exact {
            0.0
        } else {
            self.e + o.e + v.abs() * ULP + TINY
        };
        Guarded { v, e }
    }
    fn mul_u(&self, k: u128) -> Self {
        let (kf, ek) = int_to_f64(k);
        let v = self.v * kf;
        let exact = ((self.e == 0.0) & (ek == 0.0)) && ((v.abs() < 9.0e15) & is_whole(self.v));
        let e = if exact {
            0.0
        } else {
            self.e * kf + self.v.abs() * ek + self.e * ek + v.abs() * ULP + TINY
        };
        Guarded { v, e }
    }
    fn div_u(&self, k: u128) -> Self {
        if k == 0 {
            return *self;
        }
        let (kf, ek) = int_to_f64(k);
        let v = self.v / kf;
        let exact = ((self.e == 0.0) & (ek == 0.0)) && (is_whole(v) & (v * kf == self.v));
        let e = if exact {
            0.0
        } else {
            self.e / kf + v.abs() * (2.0 * ek / kf + ULP) + TINY
        };
        Guarded { v, e }
    }
    fn cmp_exact(&self, o: &Self) -> Option<Ordering> {
        let d = self.v - o.v;
        let bound = (self.e + o.e) * (1.0 + 4.0 * ULP);
        if self.e == 0.0 && o.e == 0.0 {
            // Both exact: the difference of two exact floats below 2^53 in
            // magnitude compares exactly.
            return self.v.partial_cmp(&o.v);
        }
        if !d.is_finite() || !bound.is_finite() {
            return None;
        }
        if d > bound {
            Some(Ordering::Greater)
        } else if -d > bound {
            Some(Ordering::Less)
        } else {
            None
        }
    }
    fn approx(&self) -> f64 {
        self.v
    }
    fn exact(&self) -> Option<BigRational> {
        None
    }
    fn float_bound(&self) -> (f64, f64) {
        (self.v, self.e)
    }
    /// The arithmetic of [`Scalar::cmp_exact`], without its branches:
    /// the same difference and bound, and the same answer where that is
    /// `Less` or `Greater` (two exact values: the bound is zero and the
    /// sign of the difference is that of the exact one).
    fn surely(&self, o: &Self, less: bool) -> bool {
        let d = self.v - o.v;
        let bound = (self.e + o.e) * (1.0 + 4.0 * ULP);
        let finite = d.is_finite() & bound.is_finite();
        finite & ((less & (-d > bound)) | (!less & (d > bound)))
    }
    /// One pass of plain floating point, with one bound for the whole sum
    /// (Higham, *Accuracy and Stability of Numerical Algorithms*, 3.1: a
    /// sum of `n` products computed in order is within `gamma_n * sum
    /// |x_i k_i|` of the exact one, `gamma_n = n u / (1 - n u)`, `u =
    /// 2^-53`), taken here with room to spare: `(n + 2) * 2u` on the sum of
    /// the magnitudes as computed, plus the terms' own error bounds. Where
    /// everything is exact (no error bound anywhere), the operations are
    /// done one by one, which keeps whole numbers exact.
    fn sub_weighted<'a>(&self, terms: impl Iterator<Item = (&'a Self, u64)>) -> Self {
        let mut sum = 0.0f64;
        let mut mag = 0.0f64;
        let mut err = 0.0f64;
        let mut n = 0u64;
        // The result one operation at a time, while every term is exact.
        let mut exact = (self.e == 0.0).then_some(*self);
        for (x, k) in terms {
            if let Some(r) = &mut exact {
                if x.e == 0.0 {
                    *r = r.sub(&x.mul_u(u128::from(k)));
                } else {
                    exact = None;
                }
            }
            // `kf` is `k` within `ek` (exactly `k` below 2^53).
            let (kf, ek) = int_to_f64(u128::from(k));
            let p = x.v * kf;
            sum += p;
            mag += p.abs();
            err += x.e * (kf + ek) + x.v.abs() * ek;
            n += 1;
        }
        if let Some(r) = exact {
            return r;
        }
        let v = self.v - sum;
        let bound = (n as f64 + 2.0) * ULP * mag + err * (1.0 + 4.0 * ULP);
        let e = (self.e + bound) * (1.0 + 4.0 * ULP) + v.abs() * ULP + TINY;
        Guarded { v, e }
    }
}

/// Formats an exact rational as `"p/q"` (or `"p"`).
pub fn fmt_ratio(r: &BigRational) -> String {
    if r.denom() == &BigInt::from(1) {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// A decimal rendering with `digits` decimals, rounded half up (for
/// display next to the exact fraction).
pub fn fmt_decimal(r: &BigRational, digits: u32) -> String {
    let scale = BigInt::from(10u32).pow(digits);
    let neg = r < &<BigRational as Zero>::zero();
    let a = if neg { -r.clone() } else { r.clone() };
    let scaled = (a * BigRational::from_integer(scale.clone())
        + BigRational::new(BigInt::from(1), BigInt::from(2)))
    .floor()
    .to_integer();
    let int = &scaled / &scale;
    let frac = &scaled % &scale;
    let sign = if neg && !scaled.is_zero() { "-" } else { "" };
    if digits == 0 {
        format!("{sign}{int}")
    } else {
        format!(
            "{sign}{int}.{:0>width$}",
            frac.to_string(),
            width = digits as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_refuses_close_calls() {
        let third = Guarded::from_ratio(1, 3);
        let also = Guarded::from_ratio(2, 6);
        assert_eq!(third.cmp_exact(&also), None);
        let big = Guarded::from_ratio(1, 2);
        assert_eq!(third.cmp_exact(&big), Some(Ordering::Less));
        let a = Guarded::from_ratio(10, 1).sub(&Guarded::from_ratio(4, 1));
        assert_eq!(
            a.cmp_exact(&Guarded::from_ratio(6, 1)),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn guarded_bound_holds_over_many_steps() {
        // 1/7 added 7000 times is 1000 exactly.
        let mut g = Guarded::zero();
        let mut x = <Exact as Scalar>::zero();
        let s = Guarded::from_ratio(1, 7);
        let sx = Exact::from_ratio(1, 7);
        for _ in 0..7000 {
            g = g.add(&s);
            x = Scalar::add(&x, &sx);
        }
        let truth = x.to_f64().unwrap_or(0.0);
        assert!((g.v - truth).abs() <= g.e);
        assert_eq!(g.cmp_exact(&Guarded::from_ratio(1000, 1)), None);
        assert_eq!(
            g.cmp_exact(&Guarded::from_ratio(1001, 1)),
            Some(Ordering::Less)
        );
    }

    /// `surely` says yes only where `cmp_exact` gives that answer: on
    /// values exact and inexact, far apart, close, and equal.
    #[test]
    fn surely_agrees_with_cmp_exact() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let mut vals = Vec::new();
        for _ in 0..300 {
            let num = u128::from(next(1 << 40));
            let den = u128::from(1 + next(100_000));
            let a = Guarded::from_ratio(num, den);
            vals.push(a);
            vals.push(Guarded::from_ratio(num, 1));
            vals.push(a.sub(&Guarded::from_ratio(num % 7, den + 1)));
            vals.push(a.add(&Guarded::from_ratio(1, 1 << 50)));
        }
        let mut answered = 0;
        for a in &vals {
            for b in vals.iter().step_by(7) {
                for less in [true, false] {
                    if a.surely(b, less) {
                        answered += 1;
                        let want = if less {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        };
                        assert_eq!(a.cmp_exact(b), Some(want), "{a:?} {b:?}");
                    }
                }
            }
        }
        assert!(answered > 0);
    }

    #[test]
    fn decimals() {
        let r = BigRational::new(BigInt::from(2), BigInt::from(3));
        assert_eq!(fmt_decimal(&r, 4), "0.6667");
        assert_eq!(fmt_ratio(&r), "2/3");
    }
}
