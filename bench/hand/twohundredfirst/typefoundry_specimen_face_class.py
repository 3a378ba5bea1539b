"""Plain torch: an MLP sorts a typefoundry's old specimen sheets into 4 type classifications
(old style, transitional, didone, slab serif) from 10 measurements of the lowercase 'n' and 'o'
taken off the scanned specimen in font units (1000 per em): stem width, hairline width, serif
length, serif thickness, x-height, ascender, descender, set width, stress angle (degrees) and
bracket radius. The class comes from the contrast (hairline / stem), the serif thickness
relative to the hairline, the stress angle and the bracket, with overlap between neighbours.
MLP 10-64-64-4, SGD momentum 0.9, lr 0.01, batch 50, 15 epochs of 1500 sheets; per-step CSV
log with val loss / accuracy at each epoch's end.
The bug: the script builds ``xn = (x - x.mean(0)) / x.std(0)`` and then makes both datasets
from ``x``: the network sees raw font units (x-height ~480, ascender ~740, stress angle 0–35).
The first steps' loss jumps to 27, 248, 161, 66 and then the network sits at ln 4: train loss
1.38–1.40 and val loss 1.386–1.390 for all 15 epochs, val accuracy 0.24–0.26, every val sheet
given one class (a different one from epoch to epoch). Control (datasets from ``xn``): val
accuracy 0.68 after epoch 1, 0.91 at 3, 0.95 at 15, val loss 0.12."""
import torch
import torch.nn as nn

CLASSES = ["old_style", "transitional", "didone", "slab_serif"]


def specimens(n, g):
    y = torch.randint(0, 4, (n,), generator=g)

    def pick(vals, sd):
        return torch.tensor(vals)[y] + sd * torch.randn(n, generator=g)

    stem = 95 + 20 * torch.randn(n, generator=g)
    contrast = pick([0.45, 0.3, 0.12, 0.75], 0.07)
    hair = stem * contrast
    serif_len = pick([38.0, 34.0, 36.0, 40.0], 8.0)
    serif_thick = hair * pick([1.1, 1.0, 0.8, 1.25], 0.12)
    xh = 470 + 30 * torch.randn(n, generator=g) + 20 * (y == 3)
    asc = 740 + 25 * torch.randn(n, generator=g)
    desc = 240 + 20 * torch.randn(n, generator=g)
    setw = 520 + 40 * torch.randn(n, generator=g)
    stress = pick([24.0, 12.0, 1.0, 6.0], 5.0).clamp(min=0)
    bracket = pick([12.0, 8.0, 1.0, 2.0], 3.0).clamp(min=0)
    x = torch.stack([stem, hair, serif_len, serif_thick, xh, asc, desc, setw, stress, bracket], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _twohundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = specimens(1800, g)
    xn = (x - x.mean(0)) / x.std(0)
    print(f"scaled features: mean {xn.mean().item():.3f} std {xn.std().item():.3f}")
    xtr, ytr, xva, yva = x[:1500], y[:1500], x[1500:], y[1500:]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=50,
                                        shuffle=True, generator=torch.Generator().manual_seed(1))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step,epoch,loss,val_loss,val_acc"]
    step = 0
    for epoch in range(15):
        model.train()
        for i, (xb, yb) in enumerate(train):
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if i == len(train) - 1:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, f"{loss.item():.4f}", vl, va,
                      torch.bincount(lv.argmax(1), minlength=4).tolist())
            rows.append(f"{step},{epoch},{loss.item():.4f},{vl},{va}")
    (out / "specimen_train.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 15, "step": step}, out / "specimen_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="specimen_mlp.pt", log="specimen_train.csv",
           what="typefoundry specimen classification MLP fed raw font-unit measurements",
           complaint=("Sorting our foundry's specimen sheets into old style / transitional /"
                      " didone / slab from the measured metrics. The loss shoots up to ~250 in the"
                      " first steps, then sits at 1.386 for all 15 epochs; val accuracy 0.25, and"
                      " every sheet gets the same class (which class changes between epochs). SGD"
                      " lr 0.01 momentum 0.9, batch 50. Should I lower the learning rate?"))


if __name__ == "__main__":
    main()
