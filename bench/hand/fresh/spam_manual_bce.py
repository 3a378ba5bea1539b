"""Spam filter on 300 binary word-presence features, MLP with a hand-written binary
cross-entropy on sigmoid outputs ("to see the formula"). Once the net is confident a
logit passes ~17, sigmoid rounds to exactly 1.0 in float32, log(1 - p) = log(0) = -inf,
and 0 * -inf is NaN: the loss and then the weights become NaN."""
import json

import torch
import torch.nn as nn


def emails(n, seed):
    g = torch.Generator().manual_seed(seed)
    spamminess = torch.randn(300, generator=torch.Generator().manual_seed(11))
    y = (torch.rand(n, generator=g) < 0.3).float()
    p_word = torch.sigmoid(-3 + 1.5 * spamminess[None] * (2 * y[:, None] - 1))
    x = (torch.rand(n, 300, generator=g) < p_word).float()
    return x, y


class SpamNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(300, 64)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return torch.sigmoid(self.out(torch.relu(self.hidden(x)))).squeeze(-1)


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def build():
    torch.manual_seed(0)
    return SpamNet()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x, y = emails(4000, 0)
    vx, vy = emails(1000, 1)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "spam_train.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            perm = torch.randperm(len(x))
            losses = []
            for i in range(0, len(x), 100):
                idx = perm[i:i + 100]
                loss = bce(model(x[idx]), y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            model.eval()
            with torch.no_grad():
                p = model(vx)
            rec = {"epoch": epoch, "train_loss": sum(losses) / len(losses),
                   "val_loss": bce(p, vy).item(), "val_acc": ((p > 0.5).float() == vy)
                   .float().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               out / "spam.pt")
    finish(out, __file__, (vx[:200], vy[:200]), causes=["numerical_log_or_div_zero"],
           checkpoint="spam.pt", log="spam_train.jsonl",
           what="hand-written BCE: log(1 - sigmoid) = log(0) once a logit > ~17, NaN loss",
           complaint="the loss turns into nan after a few epochs")


if __name__ == "__main__":
    main()
