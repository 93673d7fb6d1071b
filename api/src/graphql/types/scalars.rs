use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// An amount of money in whole pence (£12.50 is 1250). A JSON number, exact
/// up to far beyond any budget.
#[derive(Clone, Copy, Debug)]
pub struct Pence(pub i64);

#[Scalar(name = "Pence")]
impl ScalarType for Pence {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => match n.as_i64() {
                Some(v) => Ok(Pence(v)),
                None => Err(InputValueError::custom(
                    "an amount in pence must be a whole number",
                )),
            },
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
