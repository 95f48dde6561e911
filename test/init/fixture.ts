// A plain kustomize repository (no kforge.yaml) as an inline file map: a base, a component, two overlays,
// Dockerfiles for a web image the base runs from ghcr.io/acme, and for a worker nothing runs yet.
export const plainKustomizeTree = (): Record<string, string> => ({
  'README.md': '# acme shop\n',
  '.gitignore': 'node_modules/\n',
  'deploy/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
  'deploy/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ghcr.io/acme/web:1.4.2
      - name: proxy
        image: nginx:1.27
`,
  'deploy/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n',
  'deploy/components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  prometheus.io/scrape: "true"\n',
  'deploy/overlays/production/kustomization.yaml': 'namespace: shop-prod\nresources:\n- ../../base\ncomponents:\n- ../../components/monitoring\nreplicas:\n- name: web\n  count: 3\n',
  'deploy/overlays/staging/kustomization.yaml': 'namespace: shop-staging\nresources:\n- ../../base\n',
  'deploy/overlays/dev/kustomization.yml': 'namespace: shop-dev\nbases:\n- ../../base\n',
  'web/Dockerfile': 'FROM nginx:1.27\nCOPY index.html /usr/share/nginx/html/\n',
  'web/index.html': '<h1>shop</h1>\n',
  'worker/Dockerfile.queue': 'FROM python:3.12-slim\nCOPY worker.py /\n',
  'worker/worker.py': 'print("work")\n',
  'node_modules/dep/Dockerfile': 'FROM scratch\n',
});
