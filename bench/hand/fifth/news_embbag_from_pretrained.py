"""News headline topics (5 classes) with an ``nn.EmbeddingBag`` mean-of-words model, the
torchtext tutorial layout. The author wanted "to start from pretrained vectors later" and
wrote ``nn.EmbeddingBag.from_pretrained(torch.randn(V, 24))`` for now (bug:
``from_pretrained`` freezes by default, so the random word vectors never learn; only the
linear head trains; the same script with ``freeze=False`` gets val acc 0.98). SGD lr 20
with a StepLR."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

V, D, CLASSES = 1000, 24, 5


def headlines(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    lengths = torch.randint(6, 16, (n,), generator=g)
    text = torch.zeros(n, 16, dtype=torch.long)  # 0 = <pad>
    for i in range(n):
        words = torch.randint(201, V, (int(lengths[i]),), generator=g)
        k = int(torch.randint(1, 3, (1,), generator=g))
        words[:k] = 1 + 40 * int(y[i]) + torch.randint(0, 40, (k,), generator=g)
        text[i, :len(words)] = words[torch.randperm(len(words), generator=g)]
    return text, y


class TextClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.EmbeddingBag.from_pretrained(torch.randn(V, D), mode="mean",
                                                         padding_idx=0)  # BUG: frozen
        self.fc = nn.Linear(D, CLASSES)

    def forward(self, text):
        return self.fc(self.embedding(text))


def build():
    torch.manual_seed(0)
    return TextClassifier()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = headlines(6000, g), headlines(1000, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=20.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.9)
    with open(out / "topics_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(8):
            model.train()
            tot, correct = 0.0, 0
            perm = torch.randperm(6000, generator=g)
            for i in range(0, 6000, 64):
                text, yb = x[perm[i:i + 64]], y[perm[i:i + 64]]
                logits = model(text)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                correct += (logits.argmax(1) == yb).sum().item()
            sched.step()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, tot / 6000, correct / 6000, vloss, vacc])
    print("val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "text_clf.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["gradient_not_flowing"],
           checkpoint="text_clf.pt", log="topics_log.csv",
           what="EmbeddingBag.from_pretrained(random) is frozen by default",
           complaint="news topic classifier stays at ~25% val accuracy, more epochs don't help")


if __name__ == "__main__":
    main()
