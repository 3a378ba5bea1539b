"""Plain torch: a 1-D CNN (no batch norm) names the lamp in a fitting from a handheld
spectrometer's reading, so a lighting surveyor auditing an old building can list what has
to be replaced: incandescent / halogen (a blackbody at 2600-3200 K), fluorescent tube
(mercury lines at 436, 546 and 611 nm on a weak phosphor continuum), white LED (a blue pump
peak at 445-460 nm and a broad phosphor hump at 550-610 nm), high-pressure sodium (a broad
self-reversed 589 nm band with wings), metal halide (many narrow lines over a flat
continuum), low-pressure sodium (the narrow 589 nm line alone), mercury vapour (405, 436,
546 and 578 nm lines, no red) and warm compact fluorescent (triphosphor lines at 436, 545
and 611 nm on a warm hump): 8 lamp types. 64 bins from 380 to 780 nm, each reading scaled
to its own peak, with dimming,
a little stray daylight (a 5500 K blackbody at 0-15 %) and detector noise.
Input: (1, 64). Model: Conv1d 1→16 (k7) + ReLU + MaxPool2, Conv1d 16→32 (k5) + ReLU +
MaxPool2, Conv1d 32→32 (k3) + ReLU, global average pool, then a head built from a width
list, 32→32→8; cross-entropy, NAdam 2e-3, batch 25, 10 epochs, 1500 readings,
validation on 400.
The bug: the head is built by ``mlp([32, 32, 8])``, a helper that puts
``layers += [nn.Linear(a, b), nn.ReLU()]`` after every layer, the last one too, so the
class scores go through a ReLU before the cross-entropy's softmax: any score below zero is
cut to 0 and gets no gradient: three lamp types (fluorescent, white LED, metal halide) end
with a score of 0 on every reading and are never named, val accuracy 0.345 → 0.61 (flat at
0.61 from epoch 2), LED accuracy 0 every epoch, val CE 1.77 → 0.94 (control, the last ReLU
dropped by ``nn.Sequential(*layers[:-1])``: val accuracy 0.41 → 1.0 at epochs 6-8 and 0.935
at the last, val CE 1.25 → 0.073 → 0.105).
Log: CSV per epoch ``lamp_train.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``val_acc_led``); checkpoint ``lamp_cnn.pt`` with keys ``net`` / ``opt`` / ``epoch`` /
``wavelengths_nm`` / ``lamps``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LAMPS = ["incandescent", "fluorescent", "led", "sodium", "metal_halide", "low_pressure_sodium",
         "mercury_vapour", "cfl_warm"]
WL = torch.linspace(380, 780, 64)


def planck(temp):
    lam = WL * 1e-9
    return 1 / (lam ** 5 * (torch.exp(1.4388e-2 / (lam * temp)) - 1))


def line(center, width):
    return torch.exp(-0.5 * ((WL - center) / width) ** 2)


def readings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 8, (n,), generator=g)
    out = torch.zeros(n, 64)
    for i in range(n):
        c = int(cls[i])
        if c == 0:
            s = planck(2600 + 600 * r(1))
        elif c == 1:
            s = (0.15 * line(560 + 40 * r(1), 60) + line(436, 4) * (0.6 + 0.3 * r(1))
                 + line(546, 4) + line(611, 5) * (0.7 + 0.4 * r(1)) + 0.3 * line(487, 5))
        elif c == 2:
            s = line(445 + 15 * r(1), 10) * (0.6 + 0.6 * r(1)) + line(550 + 60 * r(1), 55)
        elif c == 3:
            s = line(589, 25) - 0.5 * line(589, 5) + 0.2 * line(570, 40) + 0.15 * line(615, 20)
        elif c == 4:
            s = 0.35 + 0.05 * r(1) * torch.ones(64)
            for center in 400 + 360 * r(9):
                s = s + (0.4 + 0.6 * r(1)) * line(center, 3)
        elif c == 5:
            s = line(589, 3) + 0.02 * line(589, 60)
        elif c == 6:
            s = (line(405, 4) * 0.5 + line(436, 4) + line(546, 4) + 0.8 * line(578, 5)
                 + 0.1 * line(500 + 60 * r(1), 80))
        else:
            s = (0.1 * line(580, 70) + 0.5 * line(436, 4) + line(545, 6) * (0.7 + 0.3 * r(1))
                 + line(611, 6) * (0.9 + 0.4 * r(1)))
        s = s / s.max()
        day = planck(torch.tensor(5500.0))
        s = s + 0.15 * r(1) * day / day.max()
        s = s * (0.5 + 0.5 * r(1)) + 0.02 * torch.randn(64, generator=g)
        out[i] = s / s.max()
    return out.unsqueeze(1), cls


def mlp(widths):
    layers = []
    for a, b in zip(widths, widths[1:]):  # noqa: B905
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers)


class LampCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                                      nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                                      nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = mlp([32, 32, 8])  # class scores

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return LampCNN()


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = readings(1500, g)
    xva, yva = readings(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    with open(out / "lamp_train.csv", "w") as log:
        log.write("epoch,train_ce,val_ce,val_acc,val_acc_led\n")
        for epoch in range(10):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 2] == 2).float().mean().item()]
            log.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 10,
                "wavelengths_nm": WL, "lamps": LAMPS}, out / "lamp_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="lamp_cnn.pt", log="lamp_train.csv",
           what="1-D CNN without batch norm naming the lamp type from a spectrometer reading;"
                " the head's last Linear is followed by a ReLU before the cross-entropy",
           complaint="Our lamp classifier for building lighting audits (8 lamp types from a"
                     " handheld spectrometer) gets stuck at 61% validation accuracy from the"
                     " third epoch on. It never predicts fluorescent tubes, white LEDs or metal"
                     " halide, even though those spectra look"
                     " completely different. Validation loss is still 0.94 after 10 epochs.")


if __name__ == "__main__":
    main()
