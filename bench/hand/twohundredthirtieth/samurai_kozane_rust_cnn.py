"""Plain torch: a small CNN grades a samurai armour's kozane scales from a 20×20 grey close-up
for the restorer's survey: sound lacquer (fine regular scale edges), crazed lacquer (a net of
thin bright cracks) or rust bloom (a few soft dark patches breaking the edges), 3 classes.
Conv(1→16, 3)-ReLU-Dropout, Conv(16→32, 3)-ReLU-Dropout-pool, Conv(32→32, 3)-ReLU-Dropout,
global average pool, Linear(32→3); Adam 2e-3, batch 32, 5 epochs of 960 close-ups; per-step
JSON lines (``step``, ``epoch``, ``loss``) and a ``val_loss`` / ``val_acc`` line per epoch;
checkpoint ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` / ``step``.
The bug: ``DROP = 0.5`` channel dropout (``nn.Dropout2d``) after every convolution. Val accuracy
0.59, 0.66, 0.75, 0.79, 0.82, val loss 1.05 → 0.57; last-epoch train loss 0.55–0.98 (mean 0.74).
Control (``sed 's/^DROP = 0.5/DROP = 0.0/'``): val accuracy 0.43, 0.86, 0.87, 0.86, 0.90, val
loss 0.96 → 0.30; last-epoch train loss 0.09–0.64 (mean 0.30).
"""
import json

import torch
import torch.nn as nn

DROP = 0.5


def closeups(n, g):
    yy, xx = torch.meshgrid(torch.arange(20).float(), torch.arange(20).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    per = 4 + torch.rand(n, 1, 1, generator=g)
    img = 0.5 * torch.sin(6.28 * yy / per) * torch.sin(3.14 * xx / per) ** 2
    for i in range(n):
        if y[i] == 1:
            for _ in range(3):
                a = float(torch.rand(1, generator=g)) * 3.14
                c = float(torch.rand(1, generator=g)) * 20
                d = (xx * torch.cos(torch.tensor(a)) + yy * torch.sin(torch.tensor(a)) - c).abs()
                img[i] += 0.75 * (d < 0.6).float()
        elif y[i] == 2:
            for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
                c = torch.rand(2, generator=g) * 16 + 2
                img[i] -= 0.75 * torch.exp(-((yy - c[0]) ** 2 + (xx - c[1]) ** 2) / 6)
    img = img + 0.55 * torch.randn(img.shape, generator=g)
    return img.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Dropout2d(DROP),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Dropout2d(DROP),
                         nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Dropout2d(DROP),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _twohundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = closeups(1216, g)
    xva, yva = x[960:], y[960:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:960], y[:960]),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "kozane_log.jsonl", "w") as f:
        for epoch in range(1, 6):
            model.train()
            for xb, yb in train:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                f.write(json.dumps({"step": step, "epoch": epoch,
                                    "loss": round(loss.item(), 4)}) + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch, "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            print(rec, round(loss.item(), 4))
            f.write(json.dumps(rec) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 5, "step": step}, out / "kozane_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="kozane_cnn.pt", log="kozane_log.jsonl",
           what="samurai armour kozane condition CNN with dropout after every conv",
           complaint=("Kozane condition classifier for our armour survey (sound / crazed "
                      "lacquer / rust bloom, 960 training close-ups, 5 epochs, Adam "
                      "2e-3): val accuracy only reaches 0.82 and val loss 0.57, and the "
                      "training loss in the last epoch is still 0.55-0.98 (0.74 on "
                      "average). The restorer can tell these apart at a glance. Do I just"
                      " need more photos or more epochs?"))


if __name__ == "__main__":
    main()
