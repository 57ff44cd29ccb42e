#!/usr/bin/env python3
"""Writes N synthetic abstracts (JSON Lines) derived from the 2,000 arXiv papers in ../shared/data, for the
100,000-abstract `topickit run` figure in README "Performance" (end to end).

Copy i keeps paper i mod 2000's archive, date, categories and first five authors; half of the words of its title and
abstract are replaced by words drawn from the same archive's vocabulary (seeded). So topics persist at scale while no
two copies are near-duplicates (3-word shingle Jaccard about 0.07).

usage: make_arxiv_like_corpus.py N OUT.jsonl [--shared DIR]
"""
import argparse, csv, json, random

parser = argparse.ArgumentParser()
parser.add_argument("n", type=int)
parser.add_argument("out")
parser.add_argument("--shared", default="../shared")
args = parser.parse_args()

with open(f"{args.shared}/data/arxiv-2007-04-2000.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))

def archive(row):
    return row["categories"].split()[0].split(".")[0]

vocabulary = {}
for row in rows:
    vocabulary.setdefault(archive(row), []).extend((row["title"] + " " + row["abstract"]).split())

rng = random.Random(11)

def mix(text, words):
    return " ".join(w if rng.random() >= 0.5 else words[rng.randrange(len(words))] for w in text.split())

with open(args.out, "w", encoding="utf-8") as out:
    for i in range(args.n):
        row = rows[i % len(rows)]
        words = vocabulary[archive(row)]
        out.write(json.dumps({
            "id": f"syn{i:06d}",
            "title": mix(row["title"], words),
            "abstract": mix(row["abstract"], words),
            "authors": [a.strip() for a in row["authors"].split(",")][:5],
            "date": row["update_date"],
            "categories": row["categories"].split(),
        }) + "\n")
