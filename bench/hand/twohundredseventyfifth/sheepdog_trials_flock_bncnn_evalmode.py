"""Plain torch: a 1-D CNN with BatchNorm names which phase of a sheepdog trials run a 12 s
window of GPS comes from: 0 = outrun (the dog runs a wide pear-shaped arc out to the sheep,
the flock stands), 1 = lift and fetch (flock and dog move straight down the field towards the
handler, dog 8-15 m behind), 2 = drive (flock moves across the field, dog working the flanks,
the flock's heading at right angles to the handler line), 3 = shed / pen (everything slow, dog
circling close to a stopped flock). 5 Hz, 60 fixes, 6 series: flock centre east and north, dog
east and north (metres from the handler's post, so values run to ±400 m) and flock and dog
speed (m/s); 1.5 m GPS jitter. The series are fed raw: the first BatchNorm after the stem
convolution is what puts metres and speeds on one scale.
Model: Conv1d 6→32 k5 (no bias)-BN-ReLU, Conv1d 32→48 k5 stride 2-BN-ReLU, Conv1d 48→48 k3
stride 2-BN-ReLU, global average pool, Dropout 0.3, Linear 48→4; cross-entropy; RMSprop 1e-3,
batch 64, 10 epochs of 1600 windows, validation on 480.
The bug: the script scores the untrained net on the validation set first (``model.eval()`` in
``evaluate``) and the training loop never calls ``model.train()``, so the whole run trains in
eval mode: BatchNorm normalises with its initial running statistics (mean 0, var 1), which
never move, so the raw metres go straight into the ReLUs, and dropout is off.
Result: train CE 4.20 → 0.81, train acc 0.35 → 0.59, val CE 1.16 → 0.80, val acc 0.33 → 0.585
(best 0.60).
Control (``model.train()`` added at the top of each epoch by sed): train CE 1.01 → 0.31, train
acc 0.50 → 0.88, val CE 0.96 → 0.33 at epoch 9 (0.74 at the end: the raw-metre input makes the
val curve jumpy), val acc 0.50 → 0.90 at epoch 9 → 0.74 at the end.
Log: CSV per epoch ``phases.csv`` (``epoch,loss,acc,val_loss,val_acc``); checkpoint
``flock_cnn.tar`` with keys ``model`` / ``rmsprop`` / ``epoch`` / ``phases`` / ``series``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FIXES, HZ = 60, 5
PHASES = ["outrun", "lift_fetch", "drive", "shed_pen"]
SERIES = ["flock_e", "flock_n", "dog_e", "dog_n", "flock_speed", "dog_speed"]


def windows(n, g):
    t = torch.arange(FIXES).float() / HZ
    phase = torch.arange(n) % 4
    phase = phase[torch.randperm(n, generator=g)]
    x = torch.zeros(n, 6, FIXES)
    for i in range(n):
        k = phase[i].item()
        u = lambda a, b: a + (b - a) * torch.rand(1, generator=g).item()  # noqa: E731
        fe, fn = u(-150, 150), u(150, 400)
        side = 1 if torch.rand(1, generator=g).item() < 0.5 else -1
        if k == 0:
            flock = torch.stack([fe + 0 * t, fn + 0 * t])
            ang = side * (0.3 + 0.15 * t)
            r = u(60, 120)
            dog = torch.stack([fe + side * r * torch.sin(ang), fn - r * torch.cos(ang) * 0.8])
        elif k == 1:
            v = u(0.8, 1.8)
            flock = torch.stack([fe + 0 * t, fn - v * t])
            back = u(8, 15)
            dog = torch.stack([fe + 2 * torch.sin(0.8 * t), fn - v * t + back])
        elif k == 2:
            v = u(0.8, 1.6) * side
            flock = torch.stack([fe + v * t, fn + 0.1 * v * t])
            dog = torch.stack([fe + v * t - 10 * side, fn + 6 * torch.sin(0.9 * t + u(0, 6.3))])
        else:
            flock = torch.stack([fe + 0.3 * torch.sin(0.2 * t), fn + 0 * t])
            r = u(4, 9)
            w = u(0.5, 1.0) * side
            dog = torch.stack([fe + r * torch.cos(w * t), fn + r * torch.sin(w * t)])
        flock = flock + 1.5 * torch.randn(2, FIXES, generator=g)
        dog = dog + 1.5 * torch.randn(2, FIXES, generator=g)
        fs = torch.cat([torch.zeros(1), (flock.diff(dim=1) ** 2).sum(0).sqrt() * HZ])
        ds = torch.cat([torch.zeros(1), (dog.diff(dim=1) ** 2).sum(0).sqrt() * HZ])
        x[i] = torch.cat([flock, dog, fs[None], ds[None]])
    return x, phase


class FlockCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(6, 32, 5, padding=2, bias=False), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 48, 5, stride=2, padding=2, bias=False), nn.BatchNorm1d(48), nn.ReLU(),
            nn.Conv1d(48, 48, 3, stride=2, padding=1, bias=False), nn.BatchNorm1d(48), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(48, 4))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return FlockCNN()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    from _twohundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1600, g)
    xva, yva = windows(480, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    print("untrained", evaluate(model, xva, yva))
    with open(out / "phases.csv", "w") as f:
        f.write("epoch,loss,acc,val_loss,val_acc\n")
        for epoch in range(1, 11):
            tot, hit, n = 0.0, 0, 0
            for xb, yb in loader:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(yb)
            vl, va = evaluate(model, xva, yva)
            line = f"{epoch},{tot / n:.6f},{hit / n:.6f},{vl:.6f},{va:.6f}"
            print(line)
            f.write(line + "\n")
    torch.save({"model": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 10,
                "phases": PHASES, "series": SERIES}, out / "flock_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="flock_cnn.tar", log="phases.csv",
           what="BatchNorm 1-D CNN naming sheepdog trials run phases from raw GPS, trained in"
                " eval mode",
           complaint=("I'm tagging the phases of sheepdog trial runs (outrun, lift/fetch, drive, "
                      "shed/pen) from collar and flock GPS with a small conv net with BatchNorm. "
                      "The loss is huge in the first epoch and then stalls, and accuracy on both train "
                      "and validation stays around 50-60%. The phases look completely different when I plot "
                      "the tracks. I thought BatchNorm would take care of the units. Any idea?"))


if __name__ == "__main__":
    main()
