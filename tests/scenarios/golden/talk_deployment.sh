# The talk's imperative commands ("常用命令及操作"), then its rolling update and rollback.
kubectl get node,pod
kubectl create deployment --image nginx:1.10 test-web-deployment
kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer
kubectl scale deployment --replicas 2 test-web-deployment
kubectl set image deployment/test-web-deployment nginx=nginx:1.11
kubectl set image deployment/test-web-deployment nginx=nginx:1.11
kubectl rollout status deployment/test-web-deployment
kubectl get deploy,rs
kubectl delete deployment test-web-deployment
kubectl delete svc test-web-deployment
kubectl apply -f manifests/05-rolling-update/test-web-deployment.yaml
kubectl apply -f manifests/04-services/test-web-svc.yaml
kubectl rollout status deployment test-web-deployment
kubectl apply -f manifests/05-rolling-update/k8s.run.yaml --record
kubectl rollout status deployment test-web-deployment
kubectl rollout history deployment test-web-deployment
kubectl rollout undo deployment test-web-deployment
kubectl rollout status deployment test-web-deployment
kubectl rollout history deployment test-web-deployment
kubectl rollout undo deployment test-web-deployment --to-revision=1
kubectl rollout undo deployment test-web-deployment --to-revision=2
kubectl get deploy test-web-deployment -o wide
kubectl label namespace default istio-injection=enabled
kubectl get ns default --show-labels
