"""Plain torch: an MLP names the plant community of an arctic tundra survey plot (sedge meadow,
tussock tundra, dwarf-shrub heath, lichen heath, moss bed) from 10 raw field measurements:
elevation (m), slope (°), snow-free days, soil pH, organic layer (cm), soil moisture (%),
active-layer depth (cm), July mean temperature (°C), wind exposure (0–1) and distance to open
water (m). The community follows moisture, snow-free season, exposure and pH with noise.
The raw units go straight in: the first layer is a ``BatchNorm1d(10)``. BatchNorm1d(10) →
Linear(10→64)-BN-ReLU-Dropout(0.3) → Linear(64→64)-BN-ReLU-Dropout(0.3) → Linear(64→5);
AdamW 2e-3, batch 32, 30 epochs of 640 plots, 256 for validation.
Log: CSV per epoch (``epoch,train_loss,val_loss,val_acc``).
Checkpoint keys ``state_dict``, ``optimizer``, ``epoch``.
The bug: ``model.train()`` sits before an "epoch 0" sanity evaluation, and ``evaluate()``
switches the model to eval mode; nothing switches it back, so every epoch trains in eval mode:
the batch-norm layers normalise the raw units (elevation in the hundreds, distance in the
thousands) with their initial running statistics (mean 0, variance 1) and dropout is off.
Training loss 11.0 in epoch 1 → 0.94 at epoch 30, jumpy; val accuracy 0.66 at epoch 30 (best
0.68), val loss 0.95, jumping between 0.87 and 2.1 from epoch 10. Control (``model.train()``
at the top of each epoch): val accuracy 0.84, val loss 0.39, train loss 0.43."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def plot_survey(n, g):
    def u(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)
    elev, slope, snowfree = u(40, 900), u(0, 25), u(60, 140)
    ph, organic, moist = u(4.0, 7.5), u(0, 40), u(10, 90)
    active = 120 - 0.6 * organic - 0.05 * elev + 8 * torch.randn(n, generator=g)
    july = 11 - 0.006 * elev + 1.0 * torch.randn(n, generator=g)
    wind = (0.3 + 0.0006 * elev + 0.2 * torch.randn(n, generator=g)).clamp(0, 1)
    water = u(0, 2500)
    s = torch.stack([
        0.06 * moist - 0.0012 * water + 0.8,                                 # sedge meadow
        0.03 * moist + 0.08 * organic - 0.03 * (ph - 5.0).abs() * 10 - 0.6,  # tussock
        0.03 * snowfree + 0.15 * july - 2.5 * wind - 1.3,                    # dwarf shrub
        3.0 * wind - 0.03 * moist + 0.002 * elev - 0.5,                      # lichen heath
        0.7 * (ph - 6.0) + 0.03 * moist - 0.02 * snowfree + 3.0], 1)         # moss bed
    y = (s + 0.25 * torch.randn(s.shape, generator=g)).argmax(1)
    x = torch.stack([elev, slope, snowfree, ph, organic, moist, active, july, wind, water], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(10),
                         nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(64, 5))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    from _twohundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = plot_survey(896, g)
    print("class counts", torch.bincount(y, minlength=5).tolist())
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    model.train()
    print("epoch 0 (untrained) val loss/acc", evaluate(model, xva, yva))
    rows = ["epoch,train_loss,val_loss,val_acc"]
    for epoch in range(1, 31):
        tot = 0.0
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        vl, va = evaluate(model, xva, yva)
        rows.append(f"{epoch},{tot / len(ytr):.4f},{vl:.4f},{va:.4f}")
        print(rows[-1])
    (out / "community_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30},
               out / "community_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="community_mlp.pth", log="community_log.csv",
           what="tundra plant-community MLP with BatchNorm on raw units, trained in eval mode"
                " after an epoch-0 evaluate()",
           complaint=("我们的苔原植被群落分类器(10个野外测量值,5类)训练30轮后验证准确率只有0.66,"
                      "训练损失下降得很慢而且跳来跳去。输入已经接了BatchNorm,应该不用再做标准化吧?"
                      "AdamW 2e-3, batch 32。是模型太小还是样本(640个样地)太少?"))


if __name__ == "__main__":
    main()
