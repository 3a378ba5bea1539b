"""Hugging Face Trainer: a tiny Phi classifier (``PhiConfig``: vocabulary 20, hidden 32,
2 layers, 4 heads, partial rotary 0.5, built from the config, no download) reads the event
history of a pawn ticket — 24 events from the shop's ledger (pledge, interest paid, partial
principal paid, missed due date, reminder call unanswered, reminder answered, counter visit,
item inspected, extension asked, ...) — and predicts how the ticket ends: redeemed, renewed
for another term, or forfeited to the shop. Each outcome shifts the mix of events (partial
payments and visits before redemption, regular interest for renewal, missed dates and
unanswered calls before forfeit), and 5 % of the training labels are wrong (ledger errors).
AdamW 2e-3, 10 warm-up steps then linear decay, batch 32, 5 epochs of 768 tickets,
eval every 24 steps (once per epoch), loss every 6 steps.
Healthy: eval accuracy 0.917, 0.932, 0.943, 0.948, 0.958 at steps 24–120, eval loss
0.52 → 0.29 → 0.19; the train loss (1.07 → 0.22–0.32) stays above the eval loss because of
the 5 % wrong training labels. Checkpoint ``checkpoint-120``."""
import torch
from transformers import PhiConfig, PhiForSequenceClassification, Trainer, TrainingArguments

V, T = 20, 24
# token 1 = pledge (always first); 2..19 ledger events
MIX = torch.tensor([
    # 2 int 3 part 4 miss 5 unans 6 answ 7 visit 8 insp 9 ext 10..19 routine
    [1, 4, 0.3, 0.3, 2, 3, 2, 0.5] + [1] * 10,    # redeemed
    [4, 0.7, 0.6, 0.6, 1.5, 1.2, 1, 2] + [1] * 10,  # renewed
    [0.6, 0.2, 3, 3, 0.5, 0.5, 0.8, 1.5] + [1] * 10,  # forfeited
])


def tickets(n, g, flip=0.0):
    y = torch.randint(0, 3, (n,), generator=g)
    probs = MIX[y] / MIX[y].sum(1, keepdim=True)
    x = torch.multinomial(probs, T, replacement=True, generator=g) + 2
    x[:, 0] = 1
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Tickets(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PhiConfig(vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                       num_attention_heads=4, max_position_embeddings=64,
                       partial_rotary_factor=0.5, pad_token_id=0, num_labels=3,
                       resid_pdrop=0.0, embd_pdrop=0.0,
                       id2label={0: "redeemed", 1: "renewed", 2: "forfeited"},
                       label2id={"redeemed": 0, "renewed": 1, "forfeited": 2})
    return PhiForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tickets(768, g, flip=0.05)
    xva, yva = tickets(192, g)
    args = TrainingArguments(str(out / "pawn_tickets"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tickets(xtr, ytr),
                      eval_dataset=Tickets(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pawn_tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi pawn-ticket outcome classifier (redeemed/renewed/forfeited), HF Trainer,"
                " 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
