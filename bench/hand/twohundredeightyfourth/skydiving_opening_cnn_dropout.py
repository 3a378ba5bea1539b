"""Plain torch: a 1-D CNN with batch norm sorts canopy openings logged by a skydiver's wrist
sensor (20 Hz, 4.8 s around deployment) so the club's instructors can see which rigs open
badly: 0 = normal (a 1.5-3 s deceleration, 2.5-4 g peak), 1 = hard opening (0.6-1.4 s,
3.5-7.5 g peak, snatchy), 2 = line twist (a normal deceleration then a yaw rate of 80-300 deg/s
that keeps turning while the lines unwind), 3 = slow / streamer-like (a long, weak
deceleration of 1.2-2 g with the vertical speed still at -20 to -35 m/s at the end). Channels: acceleration
magnitude (g / 5), yaw rate (deg/s / 200), vertical speed (m/s / 50); deployment at a random
0.4-1.2 s into the window; body movement noise on all channels (0.3 g, 50 deg/s, 2 m/s).
Conv1d 3→16 (k7)-Dropout-BN-ReLU-maxpool, 16→32 (k5)-Dropout-BN-ReLU-maxpool, 32→32
(k5)-Dropout-BN-ReLU, flatten, linear 768→32-ReLU-32→4; cross-entropy, Adam 1e-3, batch 64, 12
epochs, 1200 openings, validation on 400.
The bug: every conv block carries ``nn.Dropout(0.5)`` ("regularise every block, only a few
hundred jumps") on the conv feature maps, between the conv and its batch norm, so the batch
norm's running statistics are those of the dropped-out maps and do not fit them at eval.
Result: train CE 1.165 → 0.083 (train accuracy 0.97), but validation (eval mode) lags far
behind: val CE 1.257 → 0.586 at epoch 8 → 0.226, 3-10x the train CE every epoch, val accuracy
0.33, 0.49, 0.64, 0.66 ... 0.76 at epoch 9, 0.935 only in the last epoch.
Control (the three ``nn.Dropout(0.5)`` removed): train CE 0.739 → 0.0042, val CE 0.979 → 0.0235,
val accuracy 0.67 → 0.93 at epoch 2 → 0.99.
Log: CSV per epoch ``openings_train.csv`` (``epoch`` / ``loss`` / ``acc``) and a separate CSV
per epoch ``openings_val.csv`` (``epoch`` / ``val_loss`` / ``val_acc``); checkpoint
``opening_cnn.pt`` with keys ``net`` / ``adam`` / ``epoch`` / ``labels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

L_ = 96
LABELS = ["normal", "hard", "line_twist", "slow"]


def openings(n, g):
    kind = torch.arange(n) % 4
    kind = kind[torch.randperm(n, generator=g)]
    t = torch.arange(L_).float() / 20
    u = torch.rand(n, 6, generator=g)
    deploy = 0.4 + 0.8 * u[:, 0:1]
    s = (t - deploy).clamp(min=0)
    dur = torch.where(kind == 1, 0.6 + 0.8 * u[:, 1], 1.5 + 1.5 * u[:, 1]).unsqueeze(1)
    dur = torch.where(kind.unsqueeze(1) == 3, 3.0 + 1.0 * u[:, 1:2], dur)
    peak = torch.where(kind == 1, 3.5 + 4 * u[:, 2], 2.5 + 1.5 * u[:, 2])
    peak = torch.where(kind == 3, 1.2 + 0.8 * u[:, 2], peak).unsqueeze(1)
    bump = torch.exp(-((s - dur / 2) / (dur / 3)) ** 2) * (t > deploy)
    acc = 1 + (peak - 1) * bump
    term = -(48 + 8 * u[:, 3:4])
    final = torch.where(kind.unsqueeze(1) == 3, -(20 + 15 * u[:, 4:5]), -(5 + 2 * u[:, 4:5]))
    frac = torch.cumsum(bump, 1) / bump.sum(1, keepdim=True).clamp(min=1e-3)
    vz = term + (final - term) * frac
    yaw = 30 * torch.randn(n, 1, generator=g) * (t > deploy)
    twist = (80 + 220 * u[:, 5:6]) * torch.sin(2 * s) * (s > dur) * (kind.unsqueeze(1) == 2)
    yaw = yaw + twist
    acc = acc + 0.3 * torch.randn(n, L_, generator=g)
    yaw = yaw + 50 * torch.randn(n, L_, generator=g)
    vz = vz + 2 * torch.randn(n, L_, generator=g)
    x = torch.stack([acc / 5, yaw / 200, vz / 50], 1)
    return x, kind


class OpeningCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            # regularise every block, only a few hundred jumps
            nn.Conv1d(3, 16, 7, padding=3), nn.Dropout(0.5), nn.BatchNorm1d(16), nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.Dropout(0.5), nn.BatchNorm1d(32), nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.Dropout(0.5), nn.BatchNorm1d(32), nn.ReLU())
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 24, 32), nn.ReLU(),
                                        nn.Linear(32, 4))

    def forward(self, x):
        return self.classifier(self.features(x))


def build():
    torch.manual_seed(0)
    return OpeningCNN()


def main():
    from _twohundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = openings(1200, g)
    xva, yva = openings(400, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    net = build()
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)
    with open(out / "openings_train.csv", "w") as ft, open(out / "openings_val.csv", "w") as fv:
        ft.write("epoch,loss,acc\n")
        fv.write("epoch,val_loss,val_acc\n")
        for epoch in range(1, 13):
            net.train()
            tot, hit, cnt = 0.0, 0, 0
            for xb, yb in loader:
                logits = net(xb)
                loss = F.cross_entropy(logits, yb)
                adam.zero_grad()
                loss.backward()
                adam.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
                cnt += len(yb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
                vl = F.cross_entropy(lv, yva).item()
                va = (lv.argmax(1) == yva).float().mean().item()
            ft.write(f"{epoch},{tot / cnt:.5f},{hit / cnt:.4f}\n")
            fv.write(f"{epoch},{vl:.5f},{va:.4f}\n")
            print(epoch, round(tot / cnt, 4), round(hit / cnt, 4), round(vl, 4), round(va, 4))
    torch.save({"net": net.state_dict(), "adam": adam.state_dict(), "epoch": 12,
                "labels": LABELS}, out / "opening_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="opening_cnn.pt", log="openings_val.csv",
           what="1-D CNN sorting canopy openings from a skydiver's wrist sensor; Dropout(0.5)"
                " on every conv block",
           complaint=("Our instructors wanted a classifier for canopy openings from the wrist sensor"
                      " logs. Training accuracy is over 90% by the third epoch, but the validation"
                      " accuracy stays between 33% and 70% for eight epochs and the validation loss"
                      " is several times the training loss, even though both sets come from"
                      " the same jumps and the same sensor. Only the very last epoch looks"
                      " decent. Is the model overfitting already? It is a tiny network."))


if __name__ == "__main__":
    main()
