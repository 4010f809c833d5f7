"""`make bench`: run every benchmark; each prints its table and writes bench/results/<name>.json."""

from __future__ import annotations

from bench import auth_tokens

BENCHMARKS = {"auth_tokens": auth_tokens.main}


def main() -> None:
    for name, run in BENCHMARKS.items():
        print(f"== {name}")
        run()


if __name__ == "__main__":
    main()
