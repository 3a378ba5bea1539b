"""Hugging Face Trainer: a tiny JetMoE classifier (``JetMoeConfig``: vocab 12, hidden 32, 2
layers, 2 attention heads, 4 experts with top-2 routing, built from the config, no pre-training,
no download; ``JetMoeForSequenceClassification`` reads the last token) predicts which
receivable accounts a dunning run will hand to collections. Each account is a sequence of 48
ledger events (invoice issued, part payment, full payment, reminder 1/2, final notice, credit
note, dispute, promise to pay, ...) sampled from the account's own lateness; collections = the
account's lateness above 0.5; 5 % of the training labels flipped (write-offs recorded by hand).
AdamW 2e-3, 10 warm-up steps, linear decay, batch 32, 6 epochs of 768 accounts, eval every 12
steps, loss logged every 6 steps.
Healthy, a little jumpy: eval accuracy 0.754 at step 12, 0.914 at 24, then 0.84–0.93 (0.844 at
step 60), 0.926 at step 144; eval loss 0.574 → 0.242, below the train loss (0.70 → 0.34 in the
last steps; the flipped labels sit in training only); grad norm 0.8–8.8."""
import torch
from transformers import JetMoeConfig, JetMoeForSequenceClassification, Trainer, TrainingArguments

L, V = 48, 12
EVENTS = ["pad", "bos", "invoice", "part_payment", "full_payment", "reminder_1", "reminder_2",
          "final_notice", "credit_note", "dispute", "promise_to_pay", "bank_return"]


def accounts(n, g, flip=0.0):
    late = torch.rand(n, generator=g)
    good = torch.tensor([0, 0, .30, .15, .35, .05, .02, .01, .06, .02, .02, .02])
    bad = torch.tensor([0, 0, .30, .10, .06, .16, .12, .08, .02, .06, .06, .04])
    p = (1 - late[:, None]) * good + late[:, None] * bad
    ids = torch.multinomial(p, L - 1, replacement=True, generator=g)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), ids], 1)
    y = (late > 0.5).long()
    wrong = torch.rand(n, generator=g) < flip
    return ids, torch.where(wrong, 1 - y, y)


class Ledger(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = JetMoeConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2,
                          num_key_value_heads=2, kv_channels=16, intermediate_size=64,
                          num_local_experts=4, num_experts_per_tok=2, max_position_embeddings=64,
                          pad_token_id=0, bos_token_id=1, eos_token_id=1, num_labels=2,
                          id2label={0: "current", 1: "collections"},
                          label2id={"current": 0, "collections": 1})
    return JetMoeForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = accounts(768, g, flip=0.05)
    xva, yva = accounts(256, g)
    args = TrainingArguments(str(out / "dunning"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=12,
                             save_strategy="steps", save_steps=48, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Ledger(xtr, ytr),
                      eval_dataset=Ledger(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "dunning").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny JetMoE dunning/collections classifier, HF Trainer, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
