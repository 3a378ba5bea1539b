"""An oyster-dredger's echo sounder: a 1-D CNN with batch norm reads one ping (64 range bins
below the transducer, 0.25 m each) and says whether the boat is over the oyster bed (shell
and cultch, worth a tow) or soft mud, so the skipper can shoot the dredges at the right
place. Bottom at 4.5-10 m (bins 18-40). Mud: a soft, smooth first echo that dies within a
few bins and a weak second (multiple) echo at twice the depth. Shell bed: a harder, rougher
first echo with a long granular tail (the reef's relief) and a stronger second echo. The
receiver gain changes with sea state (×0.6-1.4) and there is water-column noise, so the
echo strength alone overlaps between the two; the tail and the multiple decide it. 40 %
of the pings are over the bed.
Input: (1, 64) amplitude / 1.5. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d
16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global max pool, Linear
32→1; BCE with logits, SGD (Nesterov, momentum 0.9) with OneCycleLR (max 0.05) over 10
epochs, batch 48, 1440 pings, validation on 360.
Healthy; numbers in the README.
Log: a TSV per epoch ``echo_fit.tsv`` (``epoch`` / ``lr`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_bed``); checkpoint ``echo_cnn.pth`` (``weights`` / ``sgd_state``
/ ``onecycle`` + ``epoch``, ``amp_scale``, ``bin_m``)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BINS = 64
AMP_SCALE = 1.5


def pings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    bed = (r(n) < 0.4).float()
    d = (18 + 22 * r(n)).unsqueeze(1)
    z = torch.arange(BINS).float().unsqueeze(0)
    b = bed.unsqueeze(1)
    peak = (0.55 + 0.25 * r(n, 1)) * (1 + 0.1 * b)
    tail = 1.5 + 1.5 * b + 2.0 * r(n, 1)
    after = (z - d).clamp(min=0)
    first = peak * torch.exp(-0.5 * ((z - d) / 0.9) ** 2)
    first = first + (z >= d).float() * peak * 0.5 * torch.exp(-after / tail)
    rough = 1 + (0.2 + 0.15 * b) * torch.randn(n, BINS, generator=g)
    first = first * rough.clamp(min=0)
    multiple = (0.1 + 0.06 * b) * peak * torch.exp(-0.5 * ((z - 2 * d) / 1.5) ** 2)
    gain = 0.6 + 0.8 * r(n, 1)
    amp = gain * (first + multiple) + 0.04 * r(n, BINS) + 0.3 * torch.exp(-z / 3)
    return (amp / AMP_SCALE).unsqueeze(1), bed.unsqueeze(1)


class EchoCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.features(x))


def build():
    torch.manual_seed(0)
    return EchoCNN()


def main():
    from _threehundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pings(1440, g)
    xva, yva = pings(360, g)
    print("bed share", ytr.mean().item())
    model = build()
    epochs = 10
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True,
                        generator=torch.Generator().manual_seed(1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=epochs,
                                                steps_per_epoch=len(loader))
    with open(out / "echo_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_bce\tval_bce\tval_acc\tval_recall_bed\n")
        for epoch in range(epochs):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vb = F.binary_cross_entropy_with_logits(logits, yva).item()
                pred = (logits > 0).float()
                acc = (pred == yva).float().mean().item()
                rec = pred[yva == 1].mean().item()
            log.write(f"{epoch}\t{sched.get_last_lr()[0]:.5f}\t{tot / len(xtr):.5f}\t{vb:.5f}"
                      f"\t{acc:.4f}\t{rec:.4f}\n")
            print(epoch, round(tot / len(xtr), 4), round(vb, 4), acc, rec)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": epochs, "amp_scale": AMP_SCALE,
                "bin_m": 0.25}, out / "echo_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="echo_cnn.pth",
           log="echo_fit.tsv",
           what="1-D CNN with batch norm telling oyster bed from mud in an oyster-dredger's"
                " echo-sounder ping (binary, healthy)")


if __name__ == "__main__":
    main()
