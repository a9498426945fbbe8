//! Criterion benches of each pipeline stage on committed text (`datasets/train`), throughput in
//! bytes so reports read MB/s. Each checks its result inside the timed loop against a count
//! computed outside it by a slower reference, so a change that is fast but wrong fails.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use thematic::analysis::{Analyzer, AnalyzerConfig, StemCache, Tokenizer};
use thematic::corpus::read_labelled;
use thematic::{ClassifyOptions, LabelledDocument, Model, TrainOptions};

fn documents() -> Vec<LabelledDocument> {
    read_labelled(Path::new("datasets/train")).expect("datasets/train is committed")
}

fn texts() -> Vec<String> {
    documents().into_iter().map(|d| d.text).collect()
}

fn bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn analysis(c: &mut Criterion) {
    let texts = texts();
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(bytes(&texts)));

    let expected_tokens: usize = texts
        .iter()
        .map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
        })
        .sum();
    group.bench_function("tokenize", |b| {
        b.iter(|| {
            let count: usize = texts.iter().map(|t| Tokenizer::new(t).count()).sum();
            // Apostrophes join and possessives drop, so the tokenizer finds a few fewer.
            assert!(count <= expected_tokens && count * 100 >= expected_tokens * 95);
            black_box(count)
        })
    });

    let analyzer = Analyzer::new(AnalyzerConfig::default());
    // Reference: stem every token with a fresh cache per document (no memo carried over).
    let reference: Vec<String> = {
        let mut out = Vec::new();
        for text in &texts {
            let mut cache = StemCache::growing();
            let mut tokens = Vec::new();
            analyzer.analyze(text, &mut cache, &mut tokens);
            out.extend(tokens.iter().map(|t| cache.stem(t.stem).to_string()));
        }
        out
    };
    for memo in ["memoised", "fresh-cache-per-document"] {
        group.bench_with_input(BenchmarkId::new("stem", memo), &memo, |b, memo| {
            let mut cache = StemCache::growing();
            let mut tokens = Vec::new();
            b.iter(|| {
                let mut count = 0;
                for text in &texts {
                    if *memo != "memoised" {
                        cache = StemCache::growing();
                    }
                    analyzer.analyze(text, &mut cache, &mut tokens);
                    count += tokens.len();
                }
                assert_eq!(count, reference.len());
                black_box(count)
            })
        });
    }
    group.finish();
}

fn inference(c: &mut Criterion) {
    let texts = texts();
    let model = Model::embedded().expect("embedded model");
    let options = ClassifyOptions::default();
    let mut workspace = model.workspace();
    let expected_nonzero: usize = texts
        .iter()
        .map(|t| model.vectorize(t, &mut workspace).len())
        .sum();
    let expected_tagged: usize = texts
        .iter()
        .map(|t| model.classify(t, &mut workspace, &options).themes.len())
        .sum();

    let mut group = c.benchmark_group("inference");
    group.throughput(Throughput::Bytes(bytes(&texts)));
    group.bench_function("vectorize", |b| {
        let mut workspace = model.workspace();
        b.iter(|| {
            let nonzero: usize = texts
                .iter()
                .map(|t| model.vectorize(t, &mut workspace).len())
                .sum();
            assert_eq!(nonzero, expected_nonzero);
            black_box(nonzero)
        })
    });
    group.bench_function("classify_end_to_end", |b| {
        let mut workspace = model.workspace();
        b.iter(|| {
            let tagged: usize = texts
                .iter()
                .map(|t| model.classify(t, &mut workspace, &options).themes.len())
                .sum();
            assert_eq!(tagged, expected_tagged);
            black_box(tagged)
        })
    });
    // The keyword stage alone: its own scan of each text, scoring and selection.
    let keyword_bytes = |workspace: &mut thematic::Workspace| -> usize {
        texts
            .iter()
            .map(|t| {
                model
                    .keywords(t, workspace, 8, thematic::keywords::MIN_RELEVANCE)
                    .iter()
                    .map(String::len)
                    .sum::<usize>()
            })
            .sum()
    };
    let expected_keyword_bytes = keyword_bytes(&mut workspace);
    group.bench_function("keywords", |b| {
        let mut workspace = model.workspace();
        b.iter(|| {
            let keyword_bytes = keyword_bytes(&mut workspace);
            assert_eq!(keyword_bytes, expected_keyword_bytes);
            black_box(keyword_bytes)
        })
    });
    group.finish();

    // Scoring alone, on vectors built outside the loop.
    let vectors: Vec<_> = texts
        .iter()
        .map(|t| model.vectorize(t, &mut workspace).clone())
        .collect();
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(vectors.len() as u64));
    group.bench_function("sparse_dot", |b| {
        let mut probabilities = Vec::new();
        b.iter(|| {
            let mut sum = 0.0;
            for v in &vectors {
                model.scorer().probabilities(v, &mut probabilities);
                sum += probabilities.iter().sum::<f64>();
            }
            assert!(sum > 0.0 && sum < (3 * vectors.len()) as f64);
            black_box(sum)
        })
    });
    group.finish();
}

fn loading(c: &mut Criterion) {
    let bytes = thematic::model::DEFAULT_MODEL;
    let mut group = c.benchmark_group("model");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("load_embedded", |b| {
        b.iter(|| {
            let model = Model::embedded().expect("embedded model loads");
            assert_eq!(model.themes().len(), 3);
            black_box(model)
        })
    });
    group.finish();
}

fn training(c: &mut Criterion) {
    let documents = documents();
    let texts: Vec<String> = documents.iter().map(|d| d.text.clone()).collect();
    let mut group = c.benchmark_group("train");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes(&texts)));
    let options = TrainOptions {
        holdout: 0.0,
        ..TrainOptions::default()
    };
    group.bench_function("shipped_dataset_no_holdout", |b| {
        b.iter(|| {
            let (model, report) = thematic::train(&documents, &options).expect("trains");
            assert_eq!(report.themes, ["economy", "governance", "security"]);
            black_box(model)
        })
    });
    group.finish();
}

criterion_group!(benches, analysis, inference, loading, training);
criterion_main!(benches);
