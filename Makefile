# Porcelain over Nx and the scripts in tools/. `make help` lists every target.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
.DEFAULT_GOAL := help

include tools/versions.env tools/ports.env

# The pinned tools come first, the pinned Node among them (make setup installs it when the host
# runs another version), so every target runs on the Node the images ship. /usr/sbin comes last:
# Debian and Ubuntu install nginx there, and a user's PATH lacks it.
export PATH := $(CURDIR)/.cache/tools/bin:$(PATH):/usr/sbin

NX ?= npx nx
# What `make test` runs: every target that can run on this machine. Targets that share the
# host's ports (the Docker Pod) declare `parallelism: false`, so Nx runs them one at a time.
TEST_TARGETS ?= lint typecheck build test validate score template-copy e2e e2e-docker image-smoke soak-short
# KIND_CLUSTER names the kind cluster (its default is in tools/kind/lib.sh): make deploy KIND_CLUSTER=dev
# API_PORT and NGINX_PORT (tools/ports.env) choose the local ports of make up and make dev:
# make up NGINX_PORT=8081 (make exports variables set on its command line).

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

.PHONY: doctor
doctor: ## Check this machine for what make setup needs, and say what to install.
	tools/setup/doctor.sh

.PHONY: setup
setup: ## Install what the targets need (npm packages, pinned Node and tools, images); idempotent.
	tools/setup/setup.sh

.PHONY: setup-release
setup-release: ## make setup, and the tools only make release runs (syft, cosign).
	tools/setup/setup.sh --release

.PHONY: setup-kind
setup-kind: ## make setup-release, and kind's node image where kind cannot pull it (deploy, cluster-tests).
	tools/setup/setup.sh --kind

##@ Development

.PHONY: up
up: setup ## Run the Pod locally and print its URL: on Docker when an engine answers, else as two processes.
	@if docker info >/dev/null 2>&1; then $(MAKE) --no-print-directory up-docker; else $(MAKE) --no-print-directory up-processes; fi

.PHONY: dev
# node --import tsx, not npx tsx: one process, so a Ctrl-C reaches it once (npm exec and tsx's own
# CLI would each relay it again).
dev: setup ## The API in watch mode behind the real nginx on 127.0.0.1:8080: saves rebuild, restart, reload.
	node --import tsx tools/pod/src/cli.ts dev

.PHONY: up-docker
up-docker: setup ## Run both images as one Pod on Docker (the chart's env, users and probes).
	node --import tsx tools/pod/src/cli.ts check-ports
	$(NX) run-many -t docker-build -p api nginx
	node --import tsx tools/pod/src/cli.ts docker

.PHONY: up-processes
up-processes: setup ## Run the API build and the real nginx as two local processes.
	node --import tsx tools/pod/src/cli.ts check-ports
	$(NX) run-many -t build -p api
	node --import tsx tools/pod/src/cli.ts processes

.PHONY: affected
affected: setup ## make test for the projects changed since NX_BASE (default: main), and those depending on them.
	$(NX) affected -t $(TEST_TARGETS)
	@echo "make affected: passed: $(TEST_TARGETS), for the projects changed since $${NX_BASE:-main}."

.PHONY: lint
lint: setup ## Lint every project.
	$(NX) run-many -t lint

.PHONY: build
build: setup ## Build every project.
	$(NX) run-many -t build

.PHONY: format
format: setup ## Format every file with Prettier.
	npx prettier --write .

.PHONY: test
test: setup ## Run every test that can run on this machine (the CI command).
	$(NX) run-many -t $(TEST_TARGETS)
	@echo "make test: passed: $(TEST_TARGETS)."
	@echo "make test: not included: the kind cluster tests (make cluster-tests), make bench, make soak."

##@ Images

.PHONY: images
images: setup ## Build sidecar-api and sidecar-nginx (starts a Docker engine and makes base images if needed).
	$(NX) run-many -t docker-build -p api nginx

##@ Kubernetes

.PHONY: deploy
deploy: setup-kind ## Deploy to a local kind cluster (created when absent) and print the URL.
	tools/kind/deploy.sh

.PHONY: undeploy
undeploy: ## Uninstall the release from the kind cluster.
	tools/kind/undeploy.sh

.PHONY: kind-delete
kind-delete: ## Delete the kind cluster.
	tools/kind/delete-cluster.sh

.PHONY: registry-up
registry-up: setup ## Start the local registry on 127.0.0.1:$(REGISTRY_PORT) (storage in .cache/registry); idempotent.
	tools/registry/registry-up.sh

.PHONY: registry-down
registry-down: ## Stop and remove the local registry container; its storage stays.
	tools/registry/registry-down.sh

.PHONY: cluster-tests
cluster-tests: setup-kind release ## On kind, from the release just made: verify it, install it from OCI, helm test, e2e, metrics, rolling updates, faults and the HPA under load, ct install --upgrade.
	$(NX) run deploy:integration

##@ Release

.PHONY: release
release: setup-release ## Publish this version: images (version and SHA tags, OCI labels), SBOMs, signatures, the chart as OCI with provenance.
	tools/release/release.sh

.PHONY: verify-release
verify-release: setup-release ## Verify the last release from the registry: signatures, SBOM attestations, chart provenance.
	tools/release/verify.sh

##@ Measurements

.PHONY: bench
# Not an Nx task: the bench times `nx run-many` itself, as a developer types it, not nested in
# another Nx run.
bench: setup ## Measure the sidecar's cost, Pod start, drain, sizes and the dev loop; write dist/bench/.
	$(NX) run-many -t build -p api
	bash tools/bench/run.sh

.PHONY: soak
soak: setup ## Ten minutes of bounded load through the sidecar: 0 errors, no memory growth.
	$(NX) run hardening:soak

##@ Template

.PHONY: rename
rename: setup ## Rename the service everywhere (chart, images, packages, labels): make rename NAME=orders
	@[ -n "$(NAME)" ] || { echo "usage: make rename NAME=<new-name>"; exit 2; }
	$(NX) g @sidecar/generators:rename --name=$(NAME)

.PHONY: line-counts
line-counts: ## Count the lines of each part: what ships, the tests, the tooling, tools/workarounds.
	@tools/generators/line-counts.sh
