# Client-side generators (checked against the real binary in tests/oracle as well)
kubectl create deployment web --image=nginx:1.25 --replicas=3 --port=80 --dry-run=client -o yaml
kubectl create service nodeport test-web-svc --tcp=8080:80 --node-port=30044 --dry-run=client -o yaml
kubectl create configmap cfg --from-literal=mode=demo --dry-run=client -o yaml
kubectl run test --image=busybox --restart=Never --dry-run=client -o yaml -- sh -c date
kubectl api-resources --api-group=apps
kubectl explain deployment.spec.strategy
kubectl version
