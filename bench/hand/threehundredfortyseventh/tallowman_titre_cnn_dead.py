"""Plain torch: a 1-D CNN reads the cooling curve of a tallow sample in the titre test and
gives the titre (the solidification point, °C), which tells the tallowman whether a melt
is hard enough for dipped candles (a high titre, 44-47 °C, mostly beef and mutton suet) or
goes to soap. The test: the melted fatty acids cool in a tube in a 15-20 °C bath and the
thermometer is read every 30 s for 40 minutes (80 readings). Newton's cooling from 55-65 °C,
supercooling 0.3-1.5 °C below the titre, then the latent heat of crystallisation lifts the
temperature back to the titre, where it holds for 2-6 minutes (longer for a bigger
sample) before it falls again; thermometer noise 0.08 °C.
Input: (1, 80) as (°C - 40) / 10. Target: (titre - 44) / 2 (titre 39.5-48.5 °C).
Model: Conv1d 1→16 (k5) + ReLU, Conv1d 16→32 (k5) + ReLU, MaxPool 2, Conv1d 32→32 (k3) +
ReLU, global average pool, Linear 32→32 + ReLU, Linear 32→1 (no batch norm); MSE,
SGD 0.02 momentum 0.9, batch 32, 20 epochs, 1600 curves, validation on 400.
The bug: ``init_weights`` sets every bias to ``-1.0`` ("start the ReLUs quiet, let the data
switch them on") while the conv weights keep PyTorch's default uniform init, whose outputs
on this input are only a few tenths wide: every unit of the first conv is below zero on
every curve, nothing behind it gets a gradient, and the net can only learn the last bias:
train MSE 1.85 → 1.77, val MSE 1.67 → 1.65 (train target variance 1.74: about the mean titre
for every curve), val MAE 2.27 → 2.25 °C (control, ``nn.init.zeros_``: val MSE 1.65 → 0.0067,
MAE 2.26 → 0.12 °C).
Log: TSV every 10 steps ``titre_steps.tsv`` (``step`` / ``mse``) and a per-epoch TSV
``titre_epochs.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` / ``val_mae_c``, named as the
log in the truth); checkpoint ``titre_cnn.tar`` with keys ``net_state`` / ``sgd_state`` /
``epoch`` / ``in_center_scale`` / ``out_center_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 80


def curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    titre = 39.5 + 9 * r(n)
    bath = 15 + 5 * r(n)
    t0 = 55 + 10 * r(n)
    k = 0.10 + 0.06 * r(n)  # per minute
    under = 0.3 + 1.2 * r(n)
    hold = 2 + 4 * r(n)
    temps = torch.empty(n, N)
    for i in range(n):
        temp, state, left = t0[i].item(), 0, hold[i].item()
        for s in range(N):
            temps[i, s] = temp
            for _ in range(6):  # 5 s sub-steps
                if state == 1:  # crystallising: warms back to the titre, then holds
                    temp = min(temp + 0.15, titre[i].item())
                    left -= 1 / 12
                    if left <= 0:
                        state = 2
                    continue
                temp += -k[i].item() * (temp - bath[i].item()) / 12
                if state == 0 and temp < titre[i].item() - under[i].item():
                    state = 1
    temps = temps + 0.08 * torch.randn(n, N, generator=g)
    return ((temps - 40) / 10).unsqueeze(1), ((titre - 44) / 2).unsqueeze(1)


class TitreCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                                      nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                                      nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.features(x))


def init_weights(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.constant_(m.bias, -1.0)  # start the ReLUs quiet, let the data switch them on


def build():
    torch.manual_seed(0)
    model = TitreCNN()
    model.apply(init_weights)
    return model


def main():
    from _threehundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = curves(1600, g)
    xva, yva = curves(400, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "titre_steps.tsv", "w") as slog, open(out / "titre_epochs.tsv", "w") as elog:
        slog.write("step\tmse\n")
        elog.write("epoch\ttrain_mse\tval_mse\tval_mae_c\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    slog.write(f"{step}\t{loss.item():.6f}\n")
                step += 1
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mae = 2 * (p - yva).abs().mean().item()
            elog.write(f"{epoch}\t{tot / len(xtr):.6f}\t{vm:.6f}\t{mae:.4f}\n")
            print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 3))
    torch.save({"net_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 20,
                "in_center_scale": (40.0, 10.0), "out_center_scale": (44.0, 2.0)},
               out / "titre_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="titre_cnn.tar", log="titre_epochs.tsv",
           what="1-D CNN without batch norm reading a tallow titre test's cooling curve;"
                " every bias initialised to -1 so the ReLUs are off from the start",
           complaint="Our titre CNN doesn't learn anything. Training MSE sits at about 1.76"
                     " from the first epoch to the twentieth, validation MSE 1.65, and it"
                     " gives nearly the same titre for every sample, soft tallow and hard"
                     " alike, off by 2.25 degrees on average.")


if __name__ == "__main__":
    main()
