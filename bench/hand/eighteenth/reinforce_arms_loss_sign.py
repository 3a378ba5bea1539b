"""REINFORCE on a contextual bandit: a policy MLP (10-64-5) reads a 10-feature context and
picks one of 5 arms; the arm that pays is the argmax of a hidden linear map of the context
(reward 1, else 0; 10 % of the rewards flipped). Each update samples 256 contexts, one action
each from the softmax policy, and minimises -log pi(a|x) * (r - b) with b a running mean
reward, plus 0.01 x entropy bonus; Adam lr 3e-3, 600 updates. ``train_log.csv`` has every
10th update: the policy loss, the mean reward of the batch, the policy entropy and the greedy
accuracy on 1000 held-out contexts.
Bug: the policy loss is written ``(log_prob * adv).mean()``, the policy-gradient objective
itself, without the minus (the entropy bonus keeps its sign), so Adam descends the expected
reward. Mean batch reward 0.31 (update 0) -> 0.06-0.13 from update 60 on (a random policy gets
0.26, the floor set by the 10 % flips is 0.10), greedy held-out accuracy 0.17 -> 0.000-0.001
(the policy learns to pick a wrong arm), entropy 1.57 -> 0.55, policy loss -0.18 -> ~0 with
noise. Control (the same script with the minus in place): reward 0.31 -> 0.84-0.88 (0.90
is the ceiling), greedy accuracy 0.28 -> 0.98, entropy 1.57 -> 0.15."""
import csv

import torch
import torch.nn as nn

N_ARMS, D = 5, 10
W_TRUE = torch.Generator().manual_seed(7)
W_TRUE = torch.randn(D, N_ARMS, generator=W_TRUE)


def contexts(n, g):
    x = torch.randn(n, D, generator=g)
    return x, (x @ W_TRUE).argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(D, 64), nn.Tanh(), nn.Linear(64, N_ARMS))


def main():
    from _eighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    vx, vbest = contexts(1000, g)
    policy = build()
    opt = torch.optim.Adam(policy.parameters(), lr=3e-3)
    baseline = 0.2
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["update", "policy_loss", "avg_reward", "entropy", "greedy_acc"])
        for step in range(600):
            x, best = contexts(256, g)
            dist = torch.distributions.Categorical(logits=policy(x))
            a = dist.sample()
            r = (a == best).float()
            flip = torch.rand(256, generator=g) < 0.1
            r[flip] = 1 - r[flip]
            adv = r - baseline
            loss = (dist.log_prob(a) * adv).mean() - 0.01 * dist.entropy().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            baseline = 0.9 * baseline + 0.1 * r.mean().item()
            if step % 10 == 0 or step == 599:
                with torch.no_grad():
                    acc = (policy(vx).argmax(1) == vbest).float().mean().item()
                row = [step, round(loss.item(), 4), round(r.mean().item(), 4),
                       round(dist.entropy().mean().item(), 4), round(acc, 4)]
                w.writerow(row)
                print(row)
    torch.save({"policy": policy.state_dict(), "optimizer": opt.state_dict(), "update": step,
                "baseline": baseline}, out / "policy.pt")
    finish(out, __file__, (vx[:256], vbest[:256]), causes=["loss_sign_error"],
           checkpoint="policy.pt", log="train_log.csv",
           what="REINFORCE bandit policy whose loss is the objective (minus forgotten)",
           complaint="用 REINFORCE 训练多臂老虎机策略，平均奖励不升反降，从 0.31 掉到 0.1 "
                     "左右，比随机选臂还差")


if __name__ == "__main__":
    main()
