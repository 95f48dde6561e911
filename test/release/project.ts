// A small kforge project as an inline file map: a base, two overlays with a namespace and a
// configMapGenerator each (plain kustomize features, so any compatible compiler renders it).
export const deployment = (image: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
        envFrom:
        - configMapRef:
            name: settings
`;

export const overlay = (namespace: string, level: string, extra: string[] = []) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
- ../../base
${extra.map((r) => `- ${r}\n`).join('')}configMapGenerator:
- name: settings
  literals:
  - LEVEL=${level}
`;

export const projectFile = (extra = '') => `apiVersion: kforge.dev/v1alpha1
kind: Project
environments:
  dev:
    path: overlays/dev
  prod:
    path: overlays/prod
release:
  branch: release
${extra}`;

export function projectFiles(): Record<string, string> {
  return {
    'kforge.yaml': projectFile(),
    'base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
    'base/deployment.yaml': deployment('registry.example/web:1.0.0'),
    'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n',
    'overlays/dev/kustomization.yaml': overlay('app-dev', 'debug'),
    'overlays/prod/kustomization.yaml': overlay('app-prod', 'info'),
    '.gitignore': 'rendered/\n',
  };
}

export const secretFile = (name: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: Opaque
data:
  password: c3VwZXItc2VjcmV0
`;
