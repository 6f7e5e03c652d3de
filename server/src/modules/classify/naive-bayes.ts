/**
 * Multinomial naive Bayes over binary (present / absent) features, written out here rather than
 * taken from a library because the suggestion must be explained: for each item, how much each
 * feature of the text weighed for it against the other items. That needs the per-item counts,
 * which text-classifier packages keep private. Incremental by nature: a closed case adds its
 * counts, nothing is refit. Pure: no I/O, no clock.
 */
export class NaiveBayes {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly docs = new Map<string, number>();
  private readonly vocabulary = new Set<string>();

  /** @param alpha Laplace smoothing: the count every feature has in every label before training. */
  constructor(private readonly alpha = 0.5) {}

  /** Adds one document of `label`; `weight` counts it as that many documents (catalog text weighs more than one case). */
  add(label: string, features: Iterable<string>, weight = 1): void {
    let row = this.counts.get(label);
    if (!row) {
      row = new Map();
      this.counts.set(label, row);
    }
    let added = 0;
    for (const f of new Set(features)) {
      row.set(f, (row.get(f) ?? 0) + weight);
      this.vocabulary.add(f);
      added += weight;
    }
    this.totals.set(label, (this.totals.get(label) ?? 0) + added);
    this.docs.set(label, (this.docs.get(label) ?? 0) + weight);
  }

  /** Documents seen of a label (weighted). */
  documents(label: string): number {
    return this.docs.get(label) ?? 0;
  }

  /** Whether any label has seen the feature: unseen ones carry no evidence and are skipped. */
  knows(feature: string): boolean {
    return this.vocabulary.has(feature);
  }

  /** log P(feature | label), smoothed. */
  logLikelihood(label: string, feature: string): number {
    const n = this.counts.get(label)?.get(feature) ?? 0;
    const total = this.totals.get(label) ?? 0;
    return Math.log((n + this.alpha) / (total + this.alpha * this.vocabulary.size));
  }

  /**
   * Log posterior (up to a shared constant) of each label for a text's features: the log prior
   * plus the log likelihood of every known feature. `priorWeight` tempers the prior (0 = every
   * label equally likely before the words are read, 1 = as often as seen in training).
   */
  logPosteriors(labels: readonly string[], features: Iterable<string>, priorWeight: number): number[] {
    const known = [...new Set(features)].filter((f) => this.knows(f));
    const allDocs = labels.reduce((s, l) => s + this.documents(l) + 1, 0);
    return labels.map((label) => {
      const prior = Math.log((this.documents(label) + 1) / allDocs) * priorWeight;
      return known.reduce((s, f) => s + this.logLikelihood(label, f), prior);
    });
  }

  /**
   * How much each feature pushed `label` ahead of the other labels: its log likelihood under the
   * label minus the log of its mean likelihood under the others. Positive = evidence for the label.
   */
  contributions(label: string, others: readonly string[], features: Iterable<string>): Map<string, number> {
    const out = new Map<string, number>();
    const rest = others.filter((l) => l !== label);
    for (const f of new Set(features)) {
      if (!this.knows(f)) continue;
      const mean = rest.length ? rest.reduce((s, l) => s + Math.exp(this.logLikelihood(l, f)), 0) / rest.length : Math.exp(this.logLikelihood(label, f));
      out.set(f, this.logLikelihood(label, f) - Math.log(mean));
    }
    return out;
  }
}

/** Softmax of log scores divided by a temperature: probability-like confidences that sum to 1. */
export function softmax(logScores: readonly number[], temperature = 1): number[] {
  if (logScores.length === 0) return [];
  const scaled = logScores.map((s) => s / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
