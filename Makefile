# The two commands of the README. Both prepare the machine first (scripts/bootstrap.sh).
.PHONY: run test lint bench screenshots

run:
	@UV=$$(scripts/bootstrap.sh) && $$UV run --frozen scorecard-studio

# The store tests run on SQLite and on a team store on PostgreSQL: with_postgres.sh starts a
# throw-away server for them (installing the distribution's PostgreSQL when it can).
test:
	@UV=$$(scripts/bootstrap.sh) && scripts/with_postgres.sh $$UV run --frozen pytest -n 2 --dist loadfile

lint:
	@UV=$$(scripts/bootstrap.sh) && $$UV run --frozen ruff check . && \
	  $$UV run --frozen ruff format --check . && \
	  $$UV run --frozen mypy && \
	  $$UV run --frozen lint-imports

screenshots:
	@UV=$$(scripts/bootstrap.sh) && QT_QPA_PLATFORM=offscreen $$UV run --frozen python scripts/take_screenshots.py
