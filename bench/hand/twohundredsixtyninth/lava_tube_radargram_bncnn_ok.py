"""Plain torch: a 1-D CNN with BatchNorm reads a ground-penetrating radar trace (96 time samples,
2 channels: the 250 MHz and the 100 MHz channel) shot over pahoehoe flows and says whether there
is a lava tube below and how deep: no tube, an open tube with its roof shallower than 4 m, an
open tube deeper than that, or a tube filled with sediment. An open tube gives a strong roof
reflection followed by an opposite-polarity floor reflection (air gap); a filled tube gives a
weak same-polarity pair; every trace has the direct wave, flow-contact reflections at random
delays, attenuation with depth (the 250 MHz channel fades faster) and noise. Each channel is
standardised with the training mean/std. Conv1d 2→16 (k7)-BN-ReLU-MaxPool → Conv1d 16→32
(k5)-BN-ReLU-MaxPool → Conv1d 32→32 (k3)-BN-ReLU → global max → Linear 32→4, cross-entropy,
RMSprop 1e-3 with OneCycleLR (max 3e-3, per batch), batch 96, 16 epochs of 1536 traces,
validation on 384 traces (val CE, val acc).
Log: a CSV per epoch (``epoch,train_loss,val_loss,val_accuracy,lr``) in ``radargram_log.csv``;
checkpoint ``gpr_tube_cnn.pt`` with keys ``weights`` / ``rmsprop`` / ``onecycle`` / ``epoch``
/ ``trace_mean`` / ``trace_std`` / ``classes``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96
CLASSES = ["none", "open_shallow", "open_deep", "filled"]


def wavelet(t, t0, width):
    u = (t - t0) / width
    return (1 - 2 * u ** 2) * torch.exp(-u ** 2)


def traces(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float()
    x = torch.zeros(n, 2, T)
    for c, w in enumerate([1.5, 3.0]):
        sig = 3.0 * wavelet(t, 4.0, w).expand(n, T).clone()
        for _ in range(3):
            d = 10 + 80 * torch.rand(n, 1, generator=g)
            sig = sig + (0.35 * torch.randn(n, 1, generator=g)) * wavelet(t, d, w)
        x[:, c] = sig
    shallow = 15 + 20 * torch.rand(n, 1, generator=g)
    deep = 40 + 35 * torch.rand(n, 1, generator=g)
    roof = torch.where((y == 1)[:, None], shallow, deep)
    gap = 6 + 6 * torch.rand(n, 1, generator=g)
    strength = torch.tensor([0.0, 1.6, 1.6, 1.0])[y][:, None]
    floor_sign = torch.tensor([0.0, -1.0, -1.0, 1.0])[y][:, None]
    for c, (w, att) in enumerate([(1.5, 0.035), (3.0, 0.015)]):
        refl = strength * (wavelet(t, roof, w) + floor_sign * wavelet(t, roof + gap, w))
        x[:, c] = (x[:, c] + refl) * torch.exp(-att * t)
    return x + 0.08 * torch.randn(n, 2, T, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = traces(1536, g)
    rva, yva = traces(384, g)
    mean, std = rtr.mean((0, 2), keepdim=True), rtr.std((0, 2), keepdim=True)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=16 * len(loader))
    with open(out / "radargram_log.csv", "w") as f:
        f.write("epoch,train_loss,val_loss,val_accuracy,lr\n")
        for epoch in range(16):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            acc = (logits.argmax(1) == yva).float().mean().item()
            line = f"{epoch},{tot / len(ytr):.5f},{vl:.5f},{acc:.4f},{opt.param_groups[0]['lr']:.6f}"
            print(line)
            f.write(line + "\n")
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 15, "trace_mean": mean,
                "trace_std": std, "classes": CLASSES}, out / "gpr_tube_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="gpr_tube_cnn.pt",
           log="radargram_log.csv",
           what="1-D CNN with BatchNorm finding lava tubes in ground-penetrating radar traces"
                " (healthy)")


if __name__ == "__main__":
    main()
