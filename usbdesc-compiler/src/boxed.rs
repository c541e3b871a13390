//! Typed items behind a trait object, which the model clones, downcasts and serializes as
//! `{"kind": ..., <fields>}`: class descriptors in interfaces (`model::ClassItem`) and BOS device
//! capabilities (`model::CapabilityItem`). One macro makes both, so the boxing exists once.

/// `serde::Serialize` with the `serde` feature, nothing without: what a class item must be.
#[cfg(feature = "serde")]
pub trait MaybeSerialize: serde::Serialize {}
#[cfg(feature = "serde")]
impl<T: serde::Serialize> MaybeSerialize for T {}
#[cfg(not(feature = "serde"))]
pub trait MaybeSerialize {}
#[cfg(not(feature = "serde"))]
impl<T> MaybeSerialize for T {}

/// `boxed_item!(Wrapper, Trait, Base, kind)`: the base trait every `Trait` object has for free
/// (`Base`, implemented for every `Clone + Debug + Serialize` type that implements `Trait`), and
/// `Wrapper(Box<dyn Trait>)` with `new`, `downcast_ref`, `downcast_mut`, `Clone`, `Deref` and
/// (under `serde`) a `Serialize` that writes `kind` (from `Trait::kind`) before the fields.
macro_rules! boxed_item {
    ($(#[$doc:meta])* $wrapper:ident, $tr:ident, $base:ident, $kind:ident) => {
        /// What every item of this kind gets for free (cloning, downcasting, JSON): implemented
        /// for every `Clone + Debug + Serialize` type, so an item derives those and implements
        #[doc = concat!("[`", stringify!($tr), "`].")]
        pub trait $base: std::any::Any + std::fmt::Debug {
            fn clone_box(&self) -> Box<dyn $tr>;
            fn as_any(&self) -> &dyn std::any::Any;
            fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
            #[cfg(feature = "serde")]
            fn json(&self) -> serde_json::Value;
        }

        impl<T: $tr + Clone + $crate::boxed::MaybeSerialize> $base for T {
            fn clone_box(&self) -> Box<dyn $tr> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> &dyn std::any::Any {
                self
            }
            fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
                self
            }
            #[cfg(feature = "serde")]
            fn json(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
            }
        }

        $(#[$doc])*
        #[derive(Debug)]
        pub struct $wrapper(pub Box<dyn $tr>);

        impl $wrapper {
            pub fn new<T: $tr>(item: T) -> Self {
                $wrapper(Box::new(item))
            }
            pub fn downcast_ref<T: $tr>(&self) -> Option<&T> {
                self.0.as_any().downcast_ref()
            }
            pub fn downcast_mut<T: $tr>(&mut self) -> Option<&mut T> {
                self.0.as_any_mut().downcast_mut()
            }
        }

        impl Clone for $wrapper {
            fn clone(&self) -> Self {
                $wrapper(self.0.clone_box())
            }
        }

        impl std::ops::Deref for $wrapper {
            type Target = dyn $tr;
            fn deref(&self) -> &Self::Target {
                &*self.0
            }
        }

        impl std::ops::DerefMut for $wrapper {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut *self.0
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $wrapper {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = serde_json::Map::new();
                m.insert("kind".into(), self.0.$kind().into());
                match self.0.json() {
                    serde_json::Value::Object(o) => m.extend(o),
                    v => {
                        m.insert("value".into(), v);
                    }
                }
                serde_json::Value::Object(m).serialize(s)
            }
        }
    };
}
pub(crate) use boxed_item;
