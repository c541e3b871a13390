pub fn to_toml(_d: &crate::model::Device) -> String { String::new() }
