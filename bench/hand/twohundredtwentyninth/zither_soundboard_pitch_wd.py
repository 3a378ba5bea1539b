"""Plain torch: an MLP predicts the tap-tone frequency (Hz) of a finished zither soundboard from
8 workshop measurements (thickness at three points, spruce density, grain angle, brace height,
board length, humidity). The frequency is a smooth physical-ish function of them around
~185 Hz (std ≈ 25 Hz); the target is kept in Hz and the output bias starts at 185. MLP
8-64(LayerNorm)-64-1, AdamW lr 1e-2, weight decay 1.0 meant for the weight matrices, batch 64, 25 epochs of 1024 boards; per-epoch
CSV (train MSE, val MSE, val MAE).
The bug: the parameter groups are split with ``p.dim() >= 1`` where ``p.dim() > 1`` was meant,
so the "no decay" group is empty and every bias and LayerNorm weight is decayed too. The
output bias is pulled from 185 down to 3.5 and the weights have to carry the offset: train MSE
407 → 37 (epoch 6) then climbs back to 54–58, val MSE 50.2 (33–65 over the last 15 epochs),
val MAE 5.2 Hz. Control (``p.dim() > 1``: biases and LayerNorm undecayed): output bias 184.8,
train MSE 17.5, val MSE 20.5, val MAE 3.15 Hz.
"""
import torch
import torch.nn as nn


def boards(n, g):
    x = torch.randn(n, 8, generator=g)
    hz = (185 + 14 * x[:, 0] - 9 * x[:, 1] ** 2 / 2 + 11 * torch.tanh(x[:, 3]) + 6 * x[:, 4] * x[:, 5]
          - 8 * x[:, 6] + 2 * torch.randn(n, generator=g))
    return x, hz.unsqueeze(1)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 64), nn.LayerNorm(64), nn.ReLU(), nn.Linear(64, 64),
                          nn.ReLU(), nn.Linear(64, 1))
    with torch.no_grad():
        model[-1].bias.fill_(185.0)  # start at the workshop's typical board
    return model


def main():
    from _twohundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, hz = boards(1280, g)
    xva, yva = x[1024:], hz[1024:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:1024], hz[:1024]),
                                        batch_size=64, shuffle=True)
    model = build()
    decay = [p for p in model.parameters() if p.dim() >= 1]
    taken = {id(p) for p in decay}
    no_decay = [p for p in model.parameters() if id(p) not in taken]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1.0},
                             {"params": no_decay, "weight_decay": 0.0}], lr=1e-2)
    log = ["epoch,train_mse,val_mse,val_mae_hz"]
    for epoch in range(25):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        vm = nn.functional.mse_loss(pv, yva).item()
        mae = (pv - yva).abs().mean().item()
        print(epoch + 1, round(tot / 1024, 2), round(vm, 2), round(mae, 2),
              round((pv - yva).mean().item(), 2))
        log.append(f"{epoch + 1},{tot / 1024:.3f},{vm:.3f},{mae:.3f}")
    (out / "tap_tone.csv").write_text("\n".join(log) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25},
               out / "soundboard_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="soundboard_mlp.pt", log="tap_tone.csv",
           what="zither soundboard tap-tone regression MLP, AdamW decay on biases and LayerNorm too",
           complaint=("Tap-tone predictor for our zither soundboards: the training MSE gets down to 37"
                      " by epoch 6 and then goes back UP to ~55 by epoch 25; validation MSE ends at"
                      " 50 (about 5 Hz off on average), we hoped for 2-3 Hz. AdamW lr 1e-2, weight"
                      " decay 1.0 on the weight matrices, batch 64. Why does it get worse the longer"
                      " it trains?"))


if __name__ == "__main__":
    main()
