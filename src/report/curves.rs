//! What the evaluation report plots, computed from scores and gold labels: [`ThemeCurves`]
//! (precision-recall and F1 against threshold), [`Counts`] (the confusion counts at a
//! threshold), [`CalibrationBin`]s and the [`co_occurrence`] of gold and predicted themes.

use crate::metrics::ratio;

/// True and false positives and negatives of one theme at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Tagged and gold.
    pub true_positives: u64,
    /// Tagged, not gold.
    pub false_positives: u64,
    /// Gold, not tagged.
    pub false_negatives: u64,
    /// Neither.
    pub true_negatives: u64,
}

impl Counts {
    /// Counts of a theme whose documents score `scores` and carry it as `gold` says, tagged
    /// where the score reaches `threshold` (as the model decides).
    pub fn at(scores: &[f64], gold: &[bool], threshold: f64) -> Counts {
        let mut counts = Counts::default();
        for (&score, &is_gold) in scores.iter().zip(gold) {
            match (is_gold, score >= threshold) {
                (true, true) => counts.true_positives += 1,
                (false, true) => counts.false_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, false) => counts.true_negatives += 1,
            }
        }
        counts
    }

    /// Share of tagged documents that are gold (0 when none is tagged, as in [`crate::Metrics`]).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Share of gold documents that are tagged.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        ratio(
            2 * self.true_positives,
            2 * self.true_positives + self.false_positives + self.false_negatives,
        )
    }
}

/// One theme's curves as its threshold sweeps over every score the documents have.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeCurves {
    /// (recall, precision) with the threshold at each distinct score, highest first.
    pub precision_recall: Vec<(f64, f64)>,
    /// (threshold, F1) as a step line from threshold 0 to 1: F1 is constant between two
    /// distinct scores.
    pub f1_by_threshold: Vec<(f64, f64)>,
    /// The threshold (a document's score) with the best F1, and that F1; the highest such
    /// threshold on ties. `None` for no documents.
    pub best: Option<(f64, f64)>,
}

impl ThemeCurves {
    /// The curves of a theme whose documents score `scores` and carry it as `gold` says.
    pub fn new(scores: &[f64], gold: &[bool]) -> ThemeCurves {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        let positives = gold.iter().filter(|&&g| g).count() as u64;
        let negatives = scores.len() as u64 - positives;
        // Thresholds from the highest score down: each distinct score tags one more group.
        let mut steps: Vec<(f64, Counts)> = Vec::new();
        let (mut tp, mut fp) = (0u64, 0u64);
        for (rank, &doc) in order.iter().enumerate() {
            if gold[doc] {
                tp += 1;
            } else {
                fp += 1;
            }
            let last_of_group = order
                .get(rank + 1)
                .is_none_or(|&next| scores[next] != scores[doc]);
            if last_of_group {
                steps.push((
                    scores[doc],
                    Counts {
                        true_positives: tp,
                        false_positives: fp,
                        false_negatives: positives - tp,
                        true_negatives: negatives - fp,
                    },
                ));
            }
        }
        let precision_recall = if positives == 0 {
            Vec::new() // recall is undefined
        } else {
            steps
                .iter()
                .map(|(_, c)| (c.recall(), c.precision()))
                .collect()
        };
        let mut best: Option<(f64, f64)> = None;
        for &(threshold, counts) in &steps {
            if best.is_none_or(|(_, f1)| counts.f1() > f1) {
                best = Some((threshold, counts.f1()));
            }
        }
        // Ascending thresholds: a threshold in (previous score, score] tags the documents
        // scoring `score` or more; above the highest score, none.
        let mut f1_by_threshold = Vec::with_capacity(2 * steps.len() + 2);
        let mut from = 0.0;
        for &(threshold, counts) in steps.iter().rev() {
            let f1 = counts.f1();
            f1_by_threshold.push((from, f1));
            f1_by_threshold.push((threshold, f1));
            from = threshold;
        }
        // Above the highest score nothing is tagged: F1 0.
        f1_by_threshold.push((from, 0.0));
        f1_by_threshold.push((1.0, 0.0));
        ThemeCurves {
            precision_recall,
            f1_by_threshold,
            best,
        }
    }
}

/// Documents whose score falls in one tenth of [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationBin {
    /// The bin's lower edge (0.0, 0.1, ... 0.9).
    pub lower: f64,
    /// Documents in it.
    pub documents: u64,
    /// Their mean score.
    pub mean_score: f64,
    /// The share of them that carry the theme.
    pub observed: f64,
}

/// Bins of calibration: [0, 0.1), [0.1, 0.2), ... [0.9, 1.0]; empty bins left out.
pub fn calibration(scores: &[f64], gold: &[bool]) -> Vec<CalibrationBin> {
    const BINS: usize = 10;
    let mut sums = [(0u64, 0.0f64, 0u64); BINS];
    for (&score, &is_gold) in scores.iter().zip(gold) {
        let bin = ((score * BINS as f64) as usize).min(BINS - 1);
        sums[bin].0 += 1;
        sums[bin].1 += score;
        sums[bin].2 += u64::from(is_gold);
    }
    sums.iter()
        .enumerate()
        .filter(|(_, (n, _, _))| *n > 0)
        .map(|(bin, &(n, total, gold))| CalibrationBin {
            lower: bin as f64 / BINS as f64,
            documents: n,
            mean_score: total / n as f64,
            observed: gold as f64 / n as f64,
        })
        .collect()
}

/// Documents by gold theme (rows) and predicted theme (columns), each over the themes and
/// then `none` (no theme): cell (g, p) counts the documents that carry theme g and were
/// tagged p. A document with two gold themes counts in both rows.
pub fn co_occurrence(gold: &[Vec<bool>], predicted: &[Vec<bool>], themes: usize) -> Vec<Vec<u64>> {
    let mut cells = vec![vec![0u64; themes + 1]; themes + 1];
    let with_none = |flags: &[bool]| -> Vec<usize> {
        let set: Vec<usize> = (0..themes).filter(|&t| flags[t]).collect();
        if set.is_empty() {
            vec![themes]
        } else {
            set
        }
    };
    for (g, p) in gold.iter().zip(predicted) {
        let tagged = with_none(p);
        for row in with_none(g) {
            for &column in &tagged {
                cells[row][column] += 1;
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_of_a_hand_worked_example() {
        // Scores 0.9 (gold), 0.8 (not), 0.6 (gold), 0.6 (not), 0.2 (gold).
        let scores = [0.9, 0.8, 0.6, 0.6, 0.2];
        let gold = [true, false, true, false, true];
        let curves = ThemeCurves::new(&scores, &gold);
        let third = 1.0 / 3.0;
        assert_eq!(
            curves.precision_recall,
            vec![(third, 1.0), (third, 0.5), (2.0 / 3.0, 0.5), (1.0, 0.6)]
        );
        // F1 at thresholds 0.9, 0.8, 0.6, 0.2: 2/4, 2/5, 4/7, 6/8.
        assert_eq!(curves.best, Some((0.2, 0.75)));
        assert_eq!(
            curves.f1_by_threshold,
            vec![
                (0.0, 0.75),
                (0.2, 0.75),
                (0.2, 4.0 / 7.0),
                (0.6, 4.0 / 7.0),
                (0.6, 0.4),
                (0.8, 0.4),
                (0.8, 0.5),
                (0.9, 0.5),
                (0.9, 0.0),
                (1.0, 0.0)
            ]
        );
        let at = Counts::at(&scores, &gold, 0.6);
        assert_eq!(
            (
                at.true_positives,
                at.false_positives,
                at.false_negatives,
                at.true_negatives
            ),
            (2, 2, 1, 0)
        );
    }

    #[test]
    fn calibration_bins_hold_mean_scores_and_observed_rates() {
        let bins = calibration(
            &[0.05, 0.15, 0.12, 1.0, 0.95],
            &[false, true, false, true, true],
        );
        assert_eq!(bins.len(), 3);
        assert_eq!((bins[1].documents, bins[1].observed), (2, 0.5));
        assert!((bins[1].mean_score - 0.135).abs() < 1e-12);
        assert_eq!((bins[2].lower, bins[2].documents), (0.9, 2));
    }

    #[test]
    fn co_occurrence_counts_none_as_a_theme() {
        let gold = vec![vec![true, false], vec![false, false], vec![true, true]];
        let predicted = vec![vec![false, true], vec![true, false], vec![true, false]];
        let cells = co_occurrence(&gold, &predicted, 2);
        assert_eq!(cells, vec![vec![1, 1, 0], vec![1, 0, 0], vec![1, 0, 0]]);
    }
}
