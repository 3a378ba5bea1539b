"""Deep knowledge tracing (DKT) on synthetic students: 12 skills with difficulties, each of
360 students has an ability per skill that grows with practice (logistic model of the chance
of a right answer: ability + 0.35 × attempts on that skill − difficulty); a sequence of 40
interactions (skill, correct), skills drawn in short runs as a tutor would serve them. The
model: a one-hot of (skill, correct) (24 dims) into an LSTM of 48 units, a linear layer to 12
per-skill logits; at each step the logit of the *next* interaction's skill predicts whether
it is answered correctly. Adam 5e-3, batch 24 students, 10 epochs; JSON-lines log with the
train loss every 5 steps and the val loss and AUC per epoch.
Bug: the loss is written as the Bernoulli log-likelihood
``y * logsigmoid(z) + (1 − y) * logsigmoid(−z)`` and its mean is minimised as it is — the minus
sign of the negative log-likelihood is missing, so training makes the predictions as wrong as
it can."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SKILLS, T = 12, 40


def students(n, g):
    diff = torch.linspace(-1.5, 1.5, SKILLS)
    ability = 0.8 * torch.randn(n, 1, generator=g) + 0.6 * torch.randn(n, SKILLS, generator=g)
    skill = torch.empty(n, T, dtype=torch.long)
    correct = torch.empty(n, T)
    for i in range(n):
        cur = int(torch.randint(0, SKILLS, (1,), generator=g))
        tries = torch.zeros(SKILLS)
        for t in range(T):
            if float(torch.rand(1, generator=g)) < 0.3:
                cur = int(torch.randint(0, SKILLS, (1,), generator=g))
            p = torch.sigmoid(ability[i, cur] + 0.35 * tries[cur] - diff[cur])
            skill[i, t] = cur
            correct[i, t] = float(float(torch.rand(1, generator=g)) < p)
            tries[cur] += 1
    return skill, correct


class DKT(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2 * SKILLS, 48, batch_first=True)
        self.head = nn.Linear(48, SKILLS)

    def forward(self, skill, correct):  # the history; logits for every skill at each step
        x = F.one_hot(skill + SKILLS * correct.long(), 2 * SKILLS).float()
        h, _ = self.lstm(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return DKT()


def next_logits(model, skill, correct):
    z = model(skill[:, :-1], correct[:, :-1])
    return torch.gather(z, 2, skill[:, 1:, None]).squeeze(-1), correct[:, 1:]


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def main():
    from _sixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    skill, correct = students(360, g)
    ntr = 288
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "dkt_log.jsonl", "w")
    step = 0
    for epoch in range(10):
        model.train()
        for idx in torch.randperm(ntr, generator=g).split(24):
            z, y = next_logits(model, skill[idx], correct[idx])
            loglik = y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)
            loss = loglik.mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 5 == 0:
                log.write(json.dumps({"epoch": epoch, "step": step,
                                      "train_loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            z, y = next_logits(model, skill[ntr:], correct[ntr:])
            rec = {"epoch": epoch, "step": step,
                   "val_bce": round(F.binary_cross_entropy_with_logits(z, y).item(), 4),
                   "val_auc": round(auc(z.flatten(), y.flatten()), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 10, "step": step}, out / "dkt.ckpt")
    finish(out, __file__, {"inputs": skill[ntr:ntr + 24], "correct": correct[ntr:ntr + 24],
                           "targets": correct[ntr:ntr + 24]},
           causes=["loss_sign_error"], checkpoint="dkt.ckpt", log="dkt_log.jsonl",
           what="DKT LSTM, Bernoulli log-likelihood minimised (missing minus sign)",
           complaint="Our knowledge-tracing model gets worse the longer it trains: the "
                     "training loss keeps dropping below zero, the val BCE climbs into the "
                     "tens and the AUC ends up far under 0.5.")


if __name__ == "__main__":
    main()
