//! The item parser state machine of HID 1.11 §6.2.2 (global table with Push/Pop, local table reset
//! by main items, collection stack). Layout, lints, the field-form compiler and the field-form
//! recovery of decoded items all track global state through this one type ([`GlobalState`] inside
//! a [`Walker`]).

use super::item::{sign_extend, Item, ItemType, MainFlags, ReportKind, Tag};
use super::SpannedItem;
use crate::diag::Span;
use std::collections::BTreeMap;

/// A global item's value as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalVal {
    pub raw: u32,
    pub size: u8,
    /// Index of the item that set it.
    pub index: usize,
}

impl GlobalVal {
    pub fn signed(&self) -> i64 {
        sign_extend(self.raw, self.size)
    }
}

/// The global item table.
#[derive(Clone, Debug, Default)]
pub struct GlobalState {
    pub values: BTreeMap<Tag, GlobalVal>,
}

impl GlobalState {
    pub fn get(&self, t: Tag) -> Option<GlobalVal> {
        self.values.get(&t).copied()
    }
    /// The value as [`Item::value`] reads it (signed for Logical/Physical Minimum/Maximum,
    /// unsigned otherwise), or `None` when no item set it.
    pub fn value(&self, t: Tag) -> Option<i64> {
        self.get(t).map(|v| if t.is_signed() { v.signed() } else { v.raw as i64 })
    }
    pub fn raw(&self, t: Tag) -> u32 {
        self.get(t).map(|v| v.raw).unwrap_or(0)
    }
    pub fn usage_page(&self) -> u16 {
        self.raw(Tag::UsagePage) as u16
    }
    pub fn report_size(&self) -> u32 {
        self.raw(Tag::ReportSize)
    }
    pub fn report_count(&self) -> u32 {
        self.raw(Tag::ReportCount)
    }
    pub fn report_id(&self) -> Option<u32> {
        self.get(Tag::ReportId).map(|v| v.raw)
    }
    pub fn logical_min(&self) -> i64 {
        self.get(Tag::LogicalMinimum).map(|v| v.signed()).unwrap_or(0)
    }
    /// Logical Maximum the way Linux hid-core reads it: signed when the minimum is negative,
    /// unsigned otherwise (so a 1-byte 0xFF with minimum 0 is 255).
    pub fn logical_max(&self) -> i64 {
        let min_neg = self.logical_min() < 0;
        self.get(Tag::LogicalMaximum).map(|v| if min_neg { v.signed() } else { v.raw as i64 }).unwrap_or(0)
    }
    pub fn physical_min(&self) -> i64 {
        self.get(Tag::PhysicalMinimum).map(|v| v.signed()).unwrap_or(0)
    }
    pub fn physical_max(&self) -> i64 {
        let min_neg = self.physical_min() < 0;
        self.get(Tag::PhysicalMaximum).map(|v| if min_neg { v.signed() } else { v.raw as i64 }).unwrap_or(0)
    }
    pub fn unit(&self) -> u32 {
        self.raw(Tag::Unit)
    }
    /// Unit exponent: the 4-bit nibble of §6.2.2.7 when the value fits in 4 bits, else signed.
    pub fn unit_exponent(&self) -> i64 {
        match self.get(Tag::UnitExponent) {
            None => 0,
            Some(v) if v.raw <= 0xF => {
                if v.raw > 7 {
                    v.raw as i64 - 16
                } else {
                    v.raw as i64
                }
            }
            Some(v) => v.signed(),
        }
    }
}

/// A local usage item as parsed: data, data size and the Usage Page in effect then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalUsageItem {
    pub data: u32,
    pub size: u8,
    pub page: u16,
    pub index: usize,
}

impl LocalUsageItem {
    /// 32-bit usage: extended (4-byte) items carry their own page.
    pub fn full(&self) -> u32 {
        if self.size == 4 {
            self.data
        } else {
            ((self.page as u32) << 16) | (self.data & 0xFFFF)
        }
    }
}

/// The local item table.
#[derive(Clone, Debug, Default)]
pub struct Locals {
    pub usages: Vec<LocalUsageItem>,
    pub usage_min: Option<LocalUsageItem>,
    pub usage_max: Option<LocalUsageItem>,
}

impl Locals {
    /// Apply the page of a Usage Page item that came after the usages but before the main item,
    /// as Linux hid-core and hid-tools do (`hid_concatenate_last_usage_page`).
    fn concatenate_last_page(&mut self, page: u16) {
        if let Some(max) = self.usage_max {
            if max.size <= 2 && max.page != page {
                if let Some(m) = self.usage_max.as_mut() {
                    m.page = page;
                }
                if let Some(m) = self.usage_min.as_mut() {
                    m.page = page;
                }
            }
        }
        for u in self.usages.iter_mut().rev() {
            if u.size > 2 {
                continue;
            }
            if u.page == page {
                break;
            }
            u.page = page;
        }
    }
}

/// An open collection.
#[derive(Clone, Debug)]
pub struct OpenCollection {
    /// Index of the Collection item.
    pub index: usize,
    /// Index of the top-level collection this one is inside (0-based count of top-level ones).
    pub top: usize,
}

/// What one item did.
#[derive(Clone, Debug)]
pub enum Event {
    /// Global or local item recorded.
    State,
    /// Input/Output/Feature: the state it used is in the walker (`globals`, `locals_at_main`).
    Main { kind: ReportKind, flags: MainFlags },
    CollectionOpen,
    CollectionClose,
    /// End Collection with no open collection.
    UnbalancedEnd,
    /// Pop with an empty stack.
    PopEmpty,
    /// Reserved or long item.
    Other,
}

/// The parser state machine.
#[derive(Clone, Debug, Default)]
pub struct Walker {
    pub globals: GlobalState,
    pub stack: Vec<GlobalState>,
    pub push_index: Vec<usize>,
    pub locals: Locals,
    /// Locals in effect for the last main item (after Usage Page concatenation).
    pub locals_at_main: Locals,
    pub collections: Vec<OpenCollection>,
    pub top_level_count: usize,
}

impl Walker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Process item `index`.
    pub fn step(&mut self, index: usize, item: &Item) -> Event {
        let Item::Short { tag, size, data } = *item else { return Event::Other };
        match tag.item_type() {
            ItemType::Global => match tag {
                Tag::Push => {
                    self.stack.push(self.globals.clone());
                    self.push_index.push(index);
                    Event::State
                }
                Tag::Pop => match self.stack.pop() {
                    Some(g) => {
                        self.globals = g;
                        self.push_index.pop();
                        Event::State
                    }
                    None => Event::PopEmpty,
                },
                Tag::Reserved(_) => Event::Other,
                _ => {
                    self.globals.values.insert(tag, GlobalVal { raw: data, size, index });
                    Event::State
                }
            },
            ItemType::Local => {
                let u = LocalUsageItem { data, size, page: self.globals.usage_page(), index };
                match tag {
                    Tag::Usage => self.locals.usages.push(u),
                    Tag::UsageMinimum => self.locals.usage_min = Some(u),
                    Tag::UsageMaximum => self.locals.usage_max = Some(u),
                    Tag::Reserved(_) => return Event::Other,
                    // Designators, strings and delimiters: nothing here reads them.
                    _ => {}
                }
                Event::State
            }
            ItemType::Main => {
                let page = self.globals.usage_page();
                self.locals.concatenate_last_page(page);
                let locals = std::mem::take(&mut self.locals);
                match tag {
                    Tag::Input | Tag::Output | Tag::Feature => {
                        self.locals_at_main = locals;
                        Event::Main { kind: ReportKind::from_tag(tag).unwrap_or(ReportKind::Input), flags: MainFlags(data) }
                    }
                    Tag::Collection => {
                        let top = if self.collections.is_empty() {
                            self.top_level_count += 1;
                            self.top_level_count - 1
                        } else {
                            self.collections[0].top
                        };
                        self.collections.push(OpenCollection { index, top });
                        self.locals_at_main = locals;
                        Event::CollectionOpen
                    }
                    Tag::EndCollection => match self.collections.pop() {
                        Some(_) => Event::CollectionClose,
                        None => Event::UnbalancedEnd,
                    },
                    _ => Event::Other,
                }
            }
            ItemType::Reserved => Event::Other,
        }
    }
}

/// Walk items, calling `f(index, item, span, event, walker)` after each step.
pub fn walk(items: &[SpannedItem], mut f: impl FnMut(usize, &Item, Option<Span>, &Event, &Walker)) -> Walker {
    let mut w = Walker::new();
    for (i, s) in items.iter().enumerate() {
        let ev = w.step(i, &s.item);
        f(i, &s.item, s.span, &ev, &w);
    }
    w
}
