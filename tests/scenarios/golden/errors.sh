# kubectl's usage, flag and API errors (kubernetes.md §9.4, pkg/cmd/util/helpers.go)
kubectl get
kubectl get --foo
kubectl get pods -n
kubectl gett pods
kubectl rollout statsu deploy/x
kubectl scale deploy/x
kubectl scale deploy/x --replicas=abc
kubectl get pod nope
kubectl get pods nope1 nope2
kubectl get foo
kubectl delete deployment nope
kubectl apply -f nope.yaml
kubectl create deployment x
kubectl logs
kubectl exec x ls
kubectl describe
kubectl get ns kube-system -o name
kubectl get ns --show-labels
kubectl get deploy
