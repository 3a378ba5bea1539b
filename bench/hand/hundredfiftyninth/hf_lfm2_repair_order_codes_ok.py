"""Hugging Face Trainer: a tiny LFM2 causal language model (``Lfm2ForCausalLM`` from an
``Lfm2Config``: vocabulary 40, hidden 32, one short-convolution layer and one attention layer, 2
heads, feed-forward 64 without the auto-adjust, built from the config, no download) learns the
"grammar" of a workshop's repair orders: each order is the job code (brakes, tyres, service,
clutch, battery, exhaust, alignment) followed by the operation codes the technician booked —
check-in, lift, the job's own steps with optional extras (discs with pads, a bleed, a wheel
balance, a cabin filter, a flywheel skim...), road test, invoice, end. Orders are padded to 24
with pad labels −100. AdamW 3e-3, weight decay 0.01, cosine with 20 warm-up steps, batch 32, 6
epochs of 1600 orders (300 steps), eval every 50 steps (once an epoch) on 320 orders with
next-code accuracy. Healthy, though the accuracy stops moving early: train loss 3.64 (ln 40 =
3.69) at step 10, eval loss 1.04, 0.40, 0.34, 0.32, 0.315, 0.315 and next-code accuracy 0.82,
0.863, 0.863, 0.862, 0.861, 0.861 — flat from epoch 2 on, because the rest of the loss is the
coin flips of the optional steps (discs or not, 2 or 4 tyres...), which no model can call;
train loss 0.31 at the end = eval loss."""
import torch
from transformers import Lfm2Config, Lfm2ForCausalLM, Trainer, TrainingArguments

CODES = ["<pad>", "<bos>", "<eos>", "JOB_BRAKES", "JOB_TYRES", "JOB_SERVICE", "JOB_CLUTCH",
         "JOB_BATTERY", "JOB_EXHAUST", "JOB_ALIGN", "checkin", "lift", "road_test", "invoice",
         "remove_wheels", "refit_wheels", "torque_wheels", "replace_pads", "replace_discs",
         "bleed_brakes", "dismount_tyre", "mount_tyre", "balance_wheel", "valve_replace",
         "drain_oil", "oil_filter", "refill_oil", "air_filter", "cabin_filter", "spark_plugs",
         "drop_gearbox", "replace_clutch", "skim_flywheel", "refit_gearbox", "test_battery",
         "replace_battery", "reset_ecu", "replace_silencer", "set_toe", "set_camber"]
V = {c: i for i, c in enumerate(CODES)}
L = 24


def one_order(g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    job = int(torch.randint(0, 7, (1,), generator=g))
    s = ["<bos>", CODES[3 + job], "checkin"]
    if job == 0:
        s += ["lift", "remove_wheels", "replace_pads"] + (["replace_discs"] if r() < 0.4 else [])
        s += (["bleed_brakes"] if r() < 0.3 else []) + ["refit_wheels", "torque_wheels"]
    elif job == 1:
        n = 2 if r() < 0.5 else 4
        s += ["lift", "remove_wheels"] + ["dismount_tyre", "mount_tyre", "balance_wheel"] * n
        s += (["valve_replace"] if r() < 0.3 else []) + ["refit_wheels", "torque_wheels"]
    elif job == 2:
        s += ["lift", "drain_oil", "oil_filter", "refill_oil", "air_filter"]
        s += (["cabin_filter"] if r() < 0.5 else []) + (["spark_plugs"] if r() < 0.3 else [])
    elif job == 3:
        s += ["lift", "drop_gearbox", "replace_clutch"]
        s += (["skim_flywheel"] if r() < 0.5 else []) + ["refit_gearbox"]
    elif job == 4:
        s += ["test_battery"] + (["replace_battery", "reset_ecu"] if r() < 0.6 else [])
    elif job == 5:
        s += ["lift", "replace_silencer"]
    else:
        s += ["lift", "set_toe"] + (["set_camber"] if r() < 0.4 else [])
    s += ["road_test"] if job != 4 else []
    s += ["invoice", "<eos>"]
    ids = [V[c] for c in s][:L]
    return ids + [0] * (L - len(ids))


def orders(n, g):
    ids = torch.tensor([one_order(g) for _ in range(n)])
    labels = torch.where(ids == 0, -100, ids)
    return ids, labels


class Orders(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != 0).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Lfm2Config(vocab_size=len(CODES), hidden_size=32, intermediate_size=64,
                        block_auto_adjust_ff_dim=False, num_hidden_layers=2,
                        num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=L,
                        layer_types=["conv", "full_attention"], pad_token_id=0, bos_token_id=1,
                        eos_token_id=2)
    return Lfm2ForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def next_code_accuracy(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    m = y != -100
    return {"next_code_acc": float((p[m] == y[m]).mean())}


def main():
    from _hundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, labels = orders(1920, g)
    args = TrainingArguments(str(out / "repair_lm"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Orders(ids[:1600], labels[:1600]),
                      eval_dataset=Orders(ids[1600:], labels[1600:]),
                      compute_metrics=next_code_accuracy,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "repair_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "targets": labels[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LFM2 causal LM on workshop repair-order operation codes, HF Trainer "
                "(healthy)")


if __name__ == "__main__":
    main()
