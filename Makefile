# The two commands of the README. Both prepare the machine first (scripts/bootstrap.sh).
.PHONY: run test lint bench screenshots

run:
	@UV=$$(scripts/bootstrap.sh) && $$UV run --frozen scorecard-studio

test:
	@UV=$$(scripts/bootstrap.sh) && $$UV run --frozen pytest -n 2 --dist loadfile

lint:
	@UV=$$(scripts/bootstrap.sh) && $$UV run --frozen ruff check . && \
	  $$UV run --frozen ruff format --check . && \
	  $$UV run --frozen mypy && \
	  $$UV run --frozen lint-imports

screenshots:
	@UV=$$(scripts/bootstrap.sh) && QT_QPA_PLATFORM=offscreen $$UV run --frozen python scripts/take_screenshots.py
