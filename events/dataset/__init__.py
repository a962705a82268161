"""The whole dataset, out: what a dataset export holds (`records`), and the files it is written
as: Timeline's own lossless JSONL (`jsonl`, read back by `import_data`) and the interchange
formats other tools speak (`popolo`, `plover`, `ftm`). docs/data-format.md is the reference.
"""
