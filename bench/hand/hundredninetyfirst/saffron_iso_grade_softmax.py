"""Plain torch: an MLP assigns a saffron lot its ISO 3632 category (4 classes: I, II, III,
adulterated) from 14 numbers of the lab sheet (crocin, picrocrocin and safranal absorbances at
440 / 257 / 330 nm, moisture, floral waste, foreign matter, ash, colour coordinates, ...). The
grade follows thresholds on colouring strength and bitterness with a moisture penalty; an
adulterated lot has a high colour reading but a low picrocrocin-to-crocin ratio.
Linear(14→64)-LayerNorm-GELU, Linear(64→64)-GELU, Linear(64→4), then a softmax layer; the loss
is ``NLLLoss`` on ``log(probs)``. Adam 2e-3, batch 64, 15 epochs of 1536 lots; validation tray by tray (8 lots a tray). Per-step CSV with
``;`` (``it;ep;nll``; ``val_nll;val_acc`` at each epoch end); checkpoint keys
``model_state`` / ``opt_state`` / ``epoch`` / ``step``.
The bug: the softmax layer is ``nn.Softmax(dim=0)``, over the lots in the batch instead of the
four grades. The batch
NLL can never fall near 0 (it is a softmax over 64 lots): 3.84 → 3.05 at epoch 15; val NLL
(trays of 8) 1.76 → 1.31, val accuracy 0.79; a single lot gets probability 1 for every grade,
so it is always called grade I (0.17 of the val lots are).
Control (``nn.Softmax(dim=1)``): train NLL 0.09–0.27 at the end, val NLL 0.32, val accuracy
0.87."""
import torch
import torch.nn as nn


def lab_sheets(n, g):
    x = torch.randn(n, 14, generator=g)
    colour = x[:, 0] + 0.5 * x[:, 1]
    bitter = x[:, 2] - 0.4 * x[:, 3] ** 2
    moist = x[:, 4]
    q = colour + 0.7 * bitter - 0.5 * torch.relu(moist) + 0.2 * torch.randn(n, generator=g)
    y = torch.bucketize(-q, torch.tensor([-0.8, 0.5]))  # 0 = grade I ... 2 = grade III
    fake = (colour > 0.3) & (bitter < -0.9)
    y = torch.where(fake, torch.full_like(y, 3), y)
    return x, y


class GradeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(14, 64), nn.LayerNorm(64), nn.GELU(),
                                  nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 4))
        self.softmax = nn.Softmax(dim=0)

    def forward(self, x):
        return self.softmax(self.body(x))


def build():
    torch.manual_seed(0)
    return GradeNet()


def main():
    from _hundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lab_sheets(1536, g)
    xva, yva = lab_sheets(384, g)
    print("grades", torch.bincount(ytr).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    nll = nn.NLLLoss()
    lines = ["it;ep;nll;val_nll;val_acc"]
    it = 0
    for ep in range(1, 16):
        model.train()
        perm = torch.randperm(1536, generator=g)
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = nll(torch.log(model(xtr[idx]) + 1e-8), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            tail = ";"
            if i + 64 >= 1536:
                model.eval()
                vl = va = 0.0
                with torch.no_grad():
                    for j in range(0, 384, 8):  # the lab's trays hold 8 lots
                        pv = model(xva[j:j + 8])
                        vl += nll(torch.log(pv + 1e-8), yva[j:j + 8]).item() / 48
                        va += (pv.argmax(1) == yva[j:j + 8]).float().sum().item() / 384
                tail = f"{vl:.4f};{va:.4f}"
                print(ep, f"{loss.item():.4f}", tail)
            lines.append(f"{it};{ep};{loss.item():.4f};{tail}")
    (out / "grading.csv").write_text("\n".join(lines) + "\n")
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 15,
                "step": it}, out / "iso_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="iso_grader.pt", log="grading.csv",
           complaint="Saffron grading net: the training loss won't go below 3 (3.84 at epoch 1, 3.05 at "
                     "epoch 15) while the validation loss is 1.31, and val accuracy stalls at "
                     "0.79. Worse, when the lab puts a single lot through it, it says grade I "
                     "every time, whatever the absorbances are.",
           what="MLP saffron ISO grade classifier with its softmax over the batch")


if __name__ == "__main__":
    main()
