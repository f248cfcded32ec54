# Porcelain over Nx and the scripts in tools/. `make help` lists every target.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
.DEFAULT_GOAL := help

include tools/versions.env tools/ports.env

NX ?= npx nx

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

# npm ci only when the lockfile changed since the last install.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

.PHONY: install
install: node_modules/.package-lock.json ## Install the npm dependencies (npm ci, only when the lockfile changed).

.PHONY: up
up: install ## Run the service locally and print its URL (Ctrl-C stops it).
	$(NX) build api
	@echo "API on http://127.0.0.1:$(API_PORT)/ (Ctrl-C to stop)"
	HOST=127.0.0.1 PORT=$(API_PORT) exec node dist/apps/api/main.js

.PHONY: lint
lint: install ## Lint every project.
	$(NX) run-many -t lint

.PHONY: build
build: install ## Build every project.
	$(NX) run-many -t build

.PHONY: test
test: install ## Run every test that can run on this machine (the CI command).
	$(NX) run-many -t lint test build
	@echo "make test: lint, unit and integration tests passed."

.PHONY: doctor
doctor: ## Check this machine for the tools the template uses, and say what to install.
	tools/doctor/doctor.sh
