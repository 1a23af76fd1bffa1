//! The active fault rules and what they did: each rule gets an id when added, counts its hits
//! and remembers which requests (request-journal ids) it hit, so the inspector and a script can
//! see a fault at work and turn one rule off without touching the others. Rules that ended (used
//! up, turned off, cleared) are kept for a while with their hits.

use std::collections::VecDeque;

use serde::Serialize;

use crate::faults::{Fault, FaultRule};

/// How many request ids a rule remembers (its latest hits).
pub const HIT_HISTORY: usize = 50;
/// How many ended rules are kept.
pub const ENDED_HISTORY: usize = 20;

/// A rule with its bookkeeping, as `GET /_mock/faults` lists it (the rule's own fields, with
/// `times` showing what is left, plus `id`, `hits`, `requests` and, once over, `ended`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleReport {
    /// Assigned when added; never reused until a reset.
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many requests it hit.
    pub hits: u64,
    /// Request-journal ids of its latest hits (at most [`HIT_HISTORY`]), oldest first.
    pub requests: VecDeque<u64>,
    /// Why it is no longer active: `"used up"`, `"turned off"` or `"cleared"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<&'static str>,
}

/// The active rules, in the order they were added (the first match wins), and the latest
/// ended ones.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: VecDeque<RuleReport>,
    ended: VecDeque<RuleReport>,
    next_id: u64,
}

impl FaultSet {
    /// Appends a rule and returns its id.
    pub fn add(&mut self, rule: FaultRule) -> u64 {
        self.next_id += 1;
        self.rules.push_back(RuleReport {
            id: self.next_id,
            rule,
            hits: 0,
            requests: VecDeque::new(),
            ended: None,
        });
        self.next_id
    }

    /// Ends every active rule (kept in the history as `"cleared"`).
    pub fn clear(&mut self) {
        while let Some(rule) = self.rules.pop_front() {
            self.retire(rule, "cleared");
        }
    }

    /// Ends the active rule `id` (`"turned off"`); false if there is none.
    pub fn remove(&mut self, id: u64) -> bool {
        let Some(idx) = self.rules.iter().position(|r| r.id == id) else {
            return false;
        };
        if let Some(rule) = self.rules.remove(idx) {
            self.retire(rule, "turned off");
        }
        true
    }

    /// Forgets everything, history and ids included (a reset).
    pub fn forget(&mut self) {
        *self = FaultSet::default();
    }

    /// The active rules (with `times` showing what is left).
    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules.iter().map(|r| r.rule.clone()).collect()
    }

    /// The active rules with their ids and hits.
    pub fn report(&self) -> Vec<RuleReport> {
        self.rules.iter().cloned().collect()
    }

    /// The latest ended rules, most recent first.
    pub fn ended(&self) -> Vec<RuleReport> {
        self.ended.iter().rev().cloned().collect()
    }

    /// The fault for request `request` (a journal id), if a rule matches: returns the rule's id
    /// and its fault, counting the hit and consuming one use of a counted rule.
    pub fn take(&mut self, method: &str, path: &str, request: u64) -> Option<(u64, Fault)> {
        let idx = self
            .rules
            .iter()
            .position(|r| r.rule.matches(method, path))?;
        let active = self.rules.get_mut(idx)?;
        active.hits = active.hits.saturating_add(1);
        if active.requests.len() == HIT_HISTORY {
            active.requests.pop_front();
        }
        active.requests.push_back(request);
        let hit = (active.id, active.rule.fault.clone());
        if let Some(left) = active.rule.times.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                if let Some(rule) = self.rules.remove(idx) {
                    self.retire(rule, "used up");
                }
            }
        }
        Some(hit)
    }

    fn retire(&mut self, mut rule: RuleReport, why: &'static str) {
        rule.ended = Some(why);
        if self.ended.len() == ENDED_HISTORY {
            self.ended.pop_front();
        }
        self.ended.push_back(rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_expire_and_first_match_wins() {
        let mut set = FaultSet::default();
        let first = set.add(FaultRule::new("post", "/a", Fault::status(500)).times(2));
        let second = set.add(FaultRule::new("POST", "/a", Fault::status(503)));
        assert_eq!(set.take("GET", "/a", 1), None);
        assert_eq!(set.take("POST", "/a", 2), Some((first, Fault::status(500))));
        assert_eq!(set.rules()[0].times, Some(1));
        assert_eq!(set.take("POST", "/a", 3), Some((first, Fault::status(500))));
        assert_eq!(
            set.take("POST", "/a", 4),
            Some((second, Fault::status(503)))
        );
        assert_eq!(
            set.take("POST", "/a", 5),
            Some((second, Fault::status(503)))
        );
        let ended = set.ended();
        assert_eq!((ended[0].id, ended[0].hits), (first, 2));
        assert_eq!(ended[0].requests, [2, 3]);
        assert_eq!(ended[0].ended, Some("used up"));
        assert_eq!(set.report()[0].requests, [4, 5]);
        set.clear();
        assert_eq!(set.take("POST", "/a", 6), None);
        assert_eq!(set.ended()[0].ended, Some("cleared"));
    }

    #[test]
    fn one_rule_turns_off_and_history_is_bounded() {
        let mut set = FaultSet::default();
        let keep = set.add(FaultRule::new("*", "*", Fault::status(500)));
        let drop = set.add(FaultRule::new("GET", "/b", Fault::status(503)));
        assert!(set.remove(drop));
        assert!(!set.remove(drop));
        assert_eq!(set.report().len(), 1);
        for request in 0..(HIT_HISTORY as u64 + 7) {
            assert_eq!(set.take("GET", "/b", request).map(|h| h.0), Some(keep));
        }
        let report = &set.report()[0];
        assert_eq!(report.hits, HIT_HISTORY as u64 + 7);
        assert_eq!(report.requests.len(), HIT_HISTORY);
        assert_eq!(report.requests.front(), Some(&7));
        for _ in 0..ENDED_HISTORY + 3 {
            let id = set.add(FaultRule::new("GET", "/c", Fault::drop_connection()));
            set.remove(id);
        }
        assert_eq!(set.ended().len(), ENDED_HISTORY);
        set.forget();
        assert!(set.report().is_empty() && set.ended().is_empty());
        assert_eq!(set.add(FaultRule::new("GET", "/c", Fault::hang())), 1);
    }
}
