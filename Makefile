# The commands the README shows. Each sets up what it needs on a fresh machine.
.PHONY: run test lint messages check bench bench-sign-cpu bench-workers bench-calls bench-delivery bench-webhooks help

help:
	@echo "make run    set up and run the site (SQLite by default; Celery worker when Redis is reachable)"
	@echo "make test   run the whole test suite (DATABASE_URL / REDIS_URL pick the services)"
	@echo "make lint   ruff and the migrations check"
	@echo "make messages  add new interface strings to every language's locale/*/LC_MESSAGES/django.po"
	@echo "make bench  benchmarks on loopback: the engine under a viral spike (not part of CI)"
	@echo "make bench-workers  gunicorn worker classes and counts compared on the sign path"
	@echo "make bench-sign-cpu  the sign POST's web CPU in-process, beside the bare view (quick check)"
	@echo "make bench-calls  statements and CPU per Twilio webhook of a bridged call (in-process)"
	@echo "make bench-delivery  time the petition's delivery package (PDF and manifest) for 100,000 signatures"
	@echo "make bench-webhooks  webhook delivery rate and latency to a local receiver, beside the no-op task rate"

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(ARGS)

lint:
	@bash scripts/venv.sh dev >/dev/null
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=advocacy.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

# New or changed {% translate %}/gettext strings become empty entries in each catalogue, to translate;
# `make test` then says exactly which ones are still missing.
messages:
	@bash scripts/venv.sh dev >/dev/null
	.venv/bin/python scripts/messages.py update
	.venv/bin/python scripts/messages.py compile

bench:
	@bash scripts/bench.sh

bench-workers:
	@bash scripts/bench.sh workers

bench-sign-cpu:
	@bash scripts/bench.sh sign_cpu

bench-calls:
	@bash scripts/bench.sh calls_bench

bench-delivery:
	@bash scripts/venv.sh dev >/dev/null
	@bash scripts/fonts.sh
	.venv/bin/python -m bench.delivery_bench
bench-webhooks:
	@bash scripts/bench.sh webhooks_bench
