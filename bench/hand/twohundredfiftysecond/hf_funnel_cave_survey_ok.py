"""Hugging Face ``Trainer``: a tiny Funnel Transformer (``FunnelForTokenClassification`` from a
``FunnelConfig``: vocabulary 16, d_model 48, 2 blocks of 1 layer, 1 decoder layer, 4 heads,
3 labels; no download) tags each leg of a spelunking survey line (16 legs; each leg a token:
walk, stoop, crawl, squeeze, chamber, climb, pitch, sump, duck, boulder choke) with the kit the
leg needs: 0 dry, 1 wet (the leg is a sump or duck, or lies beyond one: once through water the
caver stays wet), 2 rope (a pitch or a climb, unless already wet, then 1). The wet tag needs
the legs before it, not only the token. AdamW 4e-3, 10 warm-up steps, linear decay, batch 32,
8 epochs of 640 lines; eval every 20 steps on 192 lines (``eval_leg_acc``), loss every 5 steps,
``checkpoint-160/`` with ``trainer_state.json``.
Healthy: eval leg accuracy 0.849 at step 20, 0.922, 0.967, then a
plateau at 0.971–0.973 from step 80 to 160; eval loss 0.309 → 0.069, still falling slowly."""
import torch
from transformers import FunnelConfig, FunnelForTokenClassification, Trainer, TrainingArguments

W = 16
WALK, STOOP, CRAWL, SQUEEZE, CHAMBER, CLIMB, PITCH, SUMP, DUCK, CHOKE = range(2, 12)
TAGS = {0: "dry", 1: "wet", 2: "rope"}


def lines(n, g):
    p = torch.tensor([5, 3, 3, 2, 2, 1.2, 1.2, 0.35, 0.35, 1.0])
    legs = torch.multinomial(p.repeat(n, 1), W, replacement=True, generator=g) + 2
    water = (legs == SUMP) | (legs == DUCK)
    wet = water.long().cummax(1).values.bool()
    tag = torch.zeros(n, W, dtype=torch.long)
    tag[(legs == CLIMB) | (legs == PITCH)] = 2
    tag[wet] = 1
    return legs, tag


class Survey(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(W, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = FunnelConfig(vocab_size=16, block_sizes=[1, 1], block_repeats=None,
                          num_decoder_layers=1, d_model=48, n_head=4, d_head=12, d_inner=96,
                          max_position_embeddings=64, num_labels=3, pad_token_id=0,
                          id2label=TAGS, label2id={v: k for k, v in TAGS.items()})
    return FunnelForTokenClassification(config)


def leg_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"leg_acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lines(640, g)
    xva, yva = lines(192, g)
    args = TrainingArguments(str(out / "survey"), num_train_epochs=8, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Survey(xtr, ytr),
                      eval_dataset=Survey(xva, yva), compute_metrics=leg_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "survey").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Funnel Transformer tagging the kit each leg of a cave survey line needs"
                " (dry / wet / rope), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
