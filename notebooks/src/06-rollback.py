# %% [markdown]
# # 06 · Rollback
#
# **Goal.** Undo the upgrade of chapter 05 with the talk's commands, read a Deployment's
# revision history, and find out why the talk's last command, `--to-revision=1`, fails on a
# real cluster when it is typed after a plain `undo`.
#
# > 回滚: 查看历史版本, 执行回滚
# >
# > *Rollback: look at the version history, then roll back.*

# %%
from k8slab import Lab
from k8slab.notebook.charts import mark, revision_timeline, revision_timeline_series
from k8slab.notebook.checks import check_chapter06
from k8slab.notebook.widgets import RevisionControl, revision_options

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/06-rollback")

# %% [markdown]
# ## Where chapter 05 ended
#
# The same steps as in chapter 05, quickly: ten pods of nginx:1.10 behind the NodePort
# Service, then the talk's upgrade to 1.11 with `--record`:

# %%
start = mark(lab)

# %%
%%sh
kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml
sleep 30
kubectl apply -f k8s.run.yaml --record
sleep 30
kubectl get replicaset -o wide

# %% [markdown]
# ## History: `kubectl rollout history`
#
# "查看历史版本", *look at the version history*:

# %%
%kubectl rollout history deployment test-web-deployment

# %% [markdown]
# Every ReplicaSet the Deployment made is a revision, numbered by the annotation
# `deployment.kubernetes.io/revision`. `CHANGE-CAUSE` is the annotation
# `kubernetes.io/change-cause`, which `--record` wrote for revision 2; revision 1 was applied
# without it. Ask for one revision to see its pod template:

# %%
%kubectl rollout history deployment test-web-deployment --revision=1

# %% [markdown]
# Which ReplicaSet holds which revision? The annotations say. A custom-columns view (the
# dots inside the annotation's name are escaped with `\`):

# %%
%%sh
kubectl get replicaset -o custom-columns='NAME:.metadata.name,REVISION:.metadata.annotations.deployment\.kubernetes\.io/revision,HISTORY:.metadata.annotations.deployment\.kubernetes\.io/revision-history,IMAGE:.spec.template.spec.containers[0].image'

# %% [markdown]
# ## `kubectl rollout undo`
#
# "执行回滚", *roll back*. Without a revision, `undo` goes back to the previous one. Watch
# the versions flip back with the loop of chapter 05 (with `grep -i`; 20 s):

# %%
%%sh --for 20s
kubectl rollout undo deployment test-web-deployment
while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep -i server;done | uniq -c

# %% [markdown]
# A rollback is a rolling update like any other: the Deployment's pod template is set back to
# revision 1's, and the controller rolls pods with the same `maxSurge`/`maxUnavailable`. But
# it does not create a third ReplicaSet: the template of revision 1 is the one the old
# ReplicaSet already has (same pod-template hash), so it scales that one up again.

# %%
%kubectl rollout history deployment test-web-deployment

# %% [markdown]
# Revision 1 is gone and there is a revision 3. The re-activated ReplicaSet got the next
# number, and its old number moved to `deployment.kubernetes.io/revision-history`.
# `CHANGE-CAUSE` travels with the template: `undo` copies the annotations of the revision it
# restores into the Deployment, and revision 1 had none.

# %%
%%sh
kubectl get replicaset -o custom-columns='NAME:.metadata.name,REVISION:.metadata.annotations.deployment\.kubernetes\.io/revision,HISTORY:.metadata.annotations.deployment\.kubernetes\.io/revision-history,IMAGE:.spec.template.spec.containers[0].image'

# %% [markdown]
# ## The talk's `--to-revision=1`
#
# The talk then runs:

# %%
%kubectl rollout undo deployment test-web-deployment --to-revision=1

# %% [markdown]
# On a real cluster this fails the same way: after the first `undo` there is no revision 1
# any more. (Typed *instead of* the plain `undo`, it would have worked, and done the same.)
# Revisions are numbers for ReplicaSets, and a ReplicaSet that comes back takes a new number.
# To return to nginx:1.11, name the revision that holds it now, 2:

# %%
%%sh --for 20s
kubectl rollout undo deployment test-web-deployment --to-revision=2
while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep -i server;done | uniq -c

# %%
%kubectl rollout history deployment test-web-deployment

# %% [markdown]
# And once more the numbers moved: 2 became 4. Rolling back to the revision you are on changes
# nothing:

# %%
%kubectl rollout undo deployment test-web-deployment --to-revision=4

# %% [markdown]
# ## The revision timeline
#
# Top: the revision number of each ReplicaSet over time; each rollback makes an old one the
# highest again, so its line jumps. Bottom: its ready pods. The legend names each ReplicaSet by
# its pod-template hash and image.

# %% tags=["nbval-ignore-output"]
fig = revision_timeline(lab, start)
fig

# %%
xs, revisions = revision_timeline_series(lab, start)
v110, v111 = revisions.values()
assert [r for r in dict.fromkeys(v110) if r] == [1, 3]
assert [r for r in dict.fromkeys(v111) if r] == [2, 4]
assert len(fig.data) == 4

# %% [markdown]
# ## Pick a revision
#
# The picker lists the revisions `rollout history` shows, with their images. **roll back to
# it** runs `kubectl rollout undo … --to-revision=N` with the curl loop in the background until
# the rollout is done, then shows the history again. The picker re-reads the history: the
# revision you picked comes back under a new number.

# %% tags=["nbval-ignore-output"]
revisions_control = RevisionControl(lab, since=start)
revisions_control

# %%
revision_options(lab)

# %%
revisions_control.rollback(3)
print(revisions_control.log[-1][1].stdout, end="")

# %%
assert [rev for _, rev in revision_options(lab)] == [4, 5]
assert revision_options(lab)[-1][0] == "5: nginx:1.10 (current)"

# %% [markdown]
# ## Exercise 6
#
# The widget left nginx:1.10 running. Bring back **nginx:1.11** with
# `kubectl rollout undo … --to-revision=N`, choosing `N` from `kubectl rollout history`
# (`--revision=N` shows what a revision runs), and wait until the rollout is complete. The
# check also makes sure that nginx:1.11 came back in its old ReplicaSet, now holding the
# newest revision.

# %%
# your commands here

# %%
check_chapter06(lab, image="nginx:1.11")

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
%%sh
kubectl rollout history deployment test-web-deployment --revision=4 | grep Image
kubectl rollout undo deployment test-web-deployment --to-revision=4
kubectl rollout status deployment test-web-deployment | tail -1
sleep 10
kubectl rollout history deployment test-web-deployment

# %%
check_chapter06(lab, image="nginx:1.11")

# %% [markdown]
# ## Summary
#
# - Each ReplicaSet of a Deployment is a revision (`deployment.kubernetes.io/revision`);
#   `--record` or `kubernetes.io/change-cause` fills `CHANGE-CAUSE`.
# - `kubectl rollout undo` goes back one revision, `--to-revision=N` to revision N; either way
#   the old ReplicaSet is scaled up again with a rolling update, not re-created.
# - A re-activated ReplicaSet takes the next revision number: history 1, 2 becomes 2, 3, so
#   the talk's `--to-revision=1` after an `undo` finds nothing.
#
# Next: [07 · Health checks](07-health-checks.ipynb).
