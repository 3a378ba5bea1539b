"""Plain torch: a cobbler's shop sorts incoming shoes into the repair they need — heel block
only, half sole, full resole, restitch the upper, or stretch/no repair — from 20 bench
measurements (heel wear depth at 4 points, sole thickness at 6 points along the foot, stitch
gaps per 5 cm on each side, upper crease depth, toe scuff, shoe size, leather vs rubber
sole, ...). The repair follows rules on those measurements (worn heel only → heel block; thin
forefoot → half sole; thin everywhere → resole; open stitching → restitch). A deep MLP
20 → 6 × Linear(64)+Sigmoid → 5, SGD momentum 0.9, lr 0.05, batch 64, 15 epochs of 2048
shoes; a per-step CSV (step, loss, acc) plus a val line per epoch.
The bug: the MLP was written "like the textbook" with ``nn.Sigmoid()`` after all six hidden
layers and default init. The mean |gradient| on the first layer's weights is ~1e-7 against
~1e-2 at the head, the loss sits at 1.37 (the class prior) and the network predicts "no
repair" for every shoe: val accuracy 0.484 (the share of "no repair") from epoch 1 to 15,
val loss 1.37–1.38. Control (``nn.ReLU()`` instead of ``nn.Sigmoid()``): flat for 5 epochs,
then val accuracy 0.57, 0.73 at epoch 9, 0.754 at epoch 15, val loss 0.62."""
import torch
import torch.nn as nn


def shoes(n, g):
    x = torch.randn(n, 20, generator=g)
    heel = x[:, 0:4].mean(1)
    fore = x[:, 4:7].mean(1)
    rear = x[:, 7:10].mean(1)
    stitch = torch.maximum(x[:, 10], x[:, 11])
    y = torch.full((n,), 4)
    y = torch.where(heel > 0.3, 0, y)
    y = torch.where(fore > 0.35, 1, y)
    y = torch.where((fore > 0.35) & (rear > 0.35), 2, y)
    y = torch.where(stitch > 1.4, 3, y)
    return x, y


def build():
    torch.manual_seed(0)
    layers = [nn.Linear(20, 64), nn.Sigmoid()]
    for _ in range(5):
        layers += [nn.Linear(64, 64), nn.Sigmoid()]
    layers += [nn.Linear(64, 5)]
    return nn.Sequential(*layers)


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = shoes(2304, g)
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    print("repairs", torch.bincount(ytr, minlength=5).tolist())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step,loss,acc,split"]
    step = 0
    for epoch in range(15):
        model.train()
        for xb, yb in train:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            acc = (logits.argmax(1) == yb).float().mean().item()
            rows.append(f"{step},{loss.item():.4f},{acc:.4f},train")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        rows.append(f"{step},{vl:.4f},{va:.4f},val")
        print(epoch, f"{vl:.3f} {va:.3f}", model[0].weight.grad.abs().mean().item(),
              model[-1].weight.grad.abs().mean().item())
    (out / "repair_sort.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 15,
                "global_step": step}, out / "repair_sort.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="repair_sort.pt", log="repair_sort.csv",
           what="cobbler repair-type classifier, 6 sigmoid hidden layers, SGD",
           complaint=("鞋匠铺的维修分类模型（鞋跟、半掌、全掌、补线、无需维修）完全学不动：训练了"
                      "15 个 epoch，loss 一直在 1.37 左右，验证准确率始终 0.484，所有鞋都被判成同"
                      "一种维修。SGD lr 0.05，momentum 0.9，batch 64。是学习率太小还是数据有问题？"))


if __name__ == "__main__":
    main()
