"""Transfer learning, notebook style: a small CNN pretrained on a 10-class "petals" task is
reused for 5 flower species. Cell 3 freezes the backbone and builds the optimizer over
``model.fc``; cell 4 swaps ``model.fc`` for a new 5-class head. The cells ran in that
order, so the optimizer holds the old head. SGD momentum, CSV log per epoch."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def petals(n, n_classes, g):
    """16x16 radial patterns: the class sets the number of petals and their width."""
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 16), torch.linspace(-1, 1, 16),
                            indexing="ij")
    theta, r = torch.atan2(yy, xx), (xx ** 2 + yy ** 2).sqrt()
    y = torch.randint(0, n_classes, (n,), generator=g)
    k = (3 + y % 5).float()[:, None, None]
    width = (0.3 + 0.15 * (y // 5)).float()[:, None, None]
    phase = 6.3 * torch.rand(n, 1, 1, generator=g)
    img = torch.cos(k * theta + phase).clamp(min=0) * torch.exp(-(r / (0.5 + width)) ** 2)
    img = img + 0.15 * torch.randn(n, 16, 16, generator=g)
    return img.unsqueeze(1), y


class PetalNet(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(self.features(x))


def build():
    """The model as it is fine-tuned: pretrained body, new 5-class head."""
    torch.manual_seed(0)
    model = PetalNet(10)
    model.fc = nn.Linear(32, 5)
    return model


def pretrain(g):
    """Stands for the downloaded checkpoint: 3 epochs on the 10-class task."""
    torch.manual_seed(1)
    model = PetalNet(10)
    x, y = petals(2000, 10, g)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(3):
        for i in range(0, len(x), 64):
            loss = F.cross_entropy(model(x[i:i + 64]), y[i:i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.state_dict()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    model = PetalNet(10)
    model.load_state_dict(pretrain(g))
    # cell 3: freeze the body, optimise the head
    for p in model.features.parameters():
        p.requires_grad = False
    optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.05, momentum=0.9)
    # cell 4: our data has 5 species
    model.fc = nn.Linear(32, 5)
    (x, y), (vx, vy) = petals(1500, 5, g), petals(400, 5, g)
    with open(out / "finetune.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        for epoch in range(6):
            perm = torch.randperm(len(x), generator=g)
            total = 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item() * len(idx)
            with torch.no_grad():
                logits = model(vx)
            acc = (logits.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, total / len(x), F.cross_entropy(logits, vy).item(), acc])
            print(epoch, round(total / len(x), 4), round(acc, 3))
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict()}, out / "flowers_ft.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["params_not_in_optimizer"],
           checkpoint="flowers_ft.pt", log="finetune.csv",
           what="new head assigned after the optimizer was built over the old head",
           complaint="the training loss is exactly the same every epoch and accuracy is 20 %")


if __name__ == "__main__":
    main()
